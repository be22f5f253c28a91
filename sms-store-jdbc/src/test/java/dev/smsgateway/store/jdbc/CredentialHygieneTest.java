package dev.smsgateway.store.jdbc;

import static dev.smsgateway.test.SecretAssertions.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smsgateway.SmsTransportException;
import dev.smsgateway.internal.Redaction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * X2: a database password (given to the {@code DataSource} or inside its JDBC URL) never shows in a
 * {@code toString()} or in a store's exception (message or cause chain), also when the driver quotes the URL back.
 */
class CredentialHygieneTest {

  static final String PASSWORD = "S3cr3t-X2-jdbc-password";
  static final String WRONG_PASSWORD = "S3cr3t-X2-jdbc-wrong";
  static final String[] SECRETS = {PASSWORD, WRONG_PASSWORD};

  @TempDir
  Path dir;

  JdbcDataSource h2(String user, String password) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:" + dir.toAbsolutePath().resolve("x2") + ";WRITE_DELAY=0");
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  @Test
  @DisplayName("stores on an H2 database with a password: toString of the builder, the stores and each store")
  void toStrings() {
    JdbcStores.Builder b = JdbcStores.builder().dataSource(h2("x2", PASSWORD)).purgeInterval(Duration.ZERO);
    assertNoSecret(b, SECRETS);
    try (JdbcStores stores = b.build()) {
      assertNoSecret(stores, SECRETS);
      for (Object store : List.of(stores.originatorStore(), stores.optOutStore(), stores.messageStore(),
          stores.conversationStore())) {
        assertNoSecret(store, SECRETS);
      }
    }
  }

  @Test
  @DisplayName("a wrong password on H2 fails with an error that holds neither password")
  void wrongPasswordOnH2() throws Exception {
    try (Connection c = h2("x2", PASSWORD).getConnection()) {
      assertThat(c.isValid(1)).isTrue(); // creates the database with this user and password
    }
    Throwable t = catchThrowable(() -> JdbcStores.builder().dataSource(h2("x2", WRONG_PASSWORD))
        .purgeInterval(Duration.ZERO).build());
    assertThat(t).isInstanceOf(SmsTransportException.class).hasMessageContaining("Wrong user name or password");
    assertThat(((SmsTransportException) t).providerCode()).contains("28000");
    assertNoSecret(t, SECRETS);
  }

  @Test
  @DisplayName("H2 quoting a JDBC URL that carries PASSWORD=: the message and the cause are redacted")
  void h2QuotesTheUrl() {
    // A relative file path: H2 refuses it and quotes the whole URL (error 90011).
    DataSource ds = new DriverManagerDataSource("jdbc:h2:file:relative/x2;USER=x2;PASSWORD=" + PASSWORD);
    Throwable t = catchThrowable(() -> JdbcStores.builder().dataSource(ds).purgeInterval(Duration.ZERO).build());
    assertThat(t).isInstanceOf(SmsTransportException.class).hasMessageContaining("PASSWORD=" + Redaction.MASK)
        .hasMessageContaining("90011");
    assertThat(t.getCause()).isInstanceOf(Redaction.RedactedException.class)
        .hasMessageContaining(org.h2.jdbc.JdbcSQLNonTransientConnectionException.class.getName());
    assertNoSecret(t, SECRETS);
  }

  @Test
  @DisplayName("DriverManager quoting a URL with ?password= (no suitable driver): the message and the cause are redacted")
  void driverManagerQuotesTheUrl() {
    DataSource ds = new DriverManagerDataSource("jdbc:x2nosuchdriver://db.example.com/sms?user=app&password="
        + PASSWORD);
    Throwable t = catchThrowable(() -> JdbcStores.builder().dataSource(ds).purgeInterval(Duration.ZERO).build());
    assertThat(t).isInstanceOf(SmsTransportException.class).hasMessageContaining("No suitable driver")
        .hasMessageContaining("password=" + Redaction.MASK);
    assertNoSecret(t, SECRETS);
  }

  @Test
  @DisplayName("PostgreSQL driver with the password in its URL, server unreachable: no password in the error")
  void postgresUnreachable() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL("jdbc:postgresql://127.0.0.1:1/sms?user=app&password=" + PASSWORD + "&connectTimeout=2");
    Throwable t = catchThrowable(() -> JdbcStores.builder().dataSource(ds).purgeInterval(Duration.ZERO).build());
    assertThat(t).isInstanceOf(SmsTransportException.class);
    assertNoSecret(t, SECRETS);
  }

  /** The smallest DataSource over {@link DriverManager}, as frameworks' "driver manager data sources" are. */
  private record DriverManagerDataSource(String url) implements SimpleDataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(url);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    @Override
    public String toString() {
      return "DriverManagerDataSource"; // a record would print the URL, password included
    }
  }
}
