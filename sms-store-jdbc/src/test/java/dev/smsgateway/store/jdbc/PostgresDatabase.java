package dev.smsgateway.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * A fresh database on the test PostgreSQL server that {@code scripts/postgres.sh} started (its admin URL in
 * {@code SMS_TEST_POSTGRES_URL}), dropped again by {@link #close()}. Without that variable the calling test is skipped
 * on a developer machine, and fails under CI ({@code CI=true}), where the server must be there.
 */
final class PostgresDatabase implements AutoCloseable {

  static final String URL_VARIABLE = "SMS_TEST_POSTGRES_URL";

  private final String adminUrl;
  private final String name;
  private final String url;
  private final JdbcConnectionPool pool;

  private PostgresDatabase(String adminUrl, String name) {
    this.adminUrl = adminUrl;
    this.name = name;
    this.url = adminUrl.replaceFirst("/postgres\\?", "/" + name + "?");
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setURL(url);
    // H2's small pool works over any ConnectionPoolDataSource; an application would use its own (HikariCP...).
    this.pool = JdbcConnectionPool.create(pg);
    this.pool.setMaxConnections(16);
  }

  /** The admin URL of the test server; skips (locally) or fails (CI) the test when there is none. */
  static String adminUrl() {
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      String why = URL_VARIABLE + " is not set: start a test server with eval \"$(scripts/postgres.sh start)\"";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("PostgreSQL tests must run under CI, but " + why);
      }
      Assumptions.abort("PostgreSQL tests skipped: " + why);
    }
    return url;
  }

  static PostgresDatabase create() {
    String adminUrl = adminUrl();
    String name = "sms_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + adminUrl + ": " + e.getMessage(), e);
    }
    return new PostgresDatabase(adminUrl, name);
  }

  DataSource dataSource() {
    return pool;
  }

  /** The JDBC URL of this database (for a child process). */
  String url() {
    return url;
  }

  /** Empties every table the stores use (the schema stays). */
  void truncateAll() {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE sms_originator, sms_opt_out, sms_message, sms_provider_link, sms_idempotency, sms_seen,"
          + " sms_parked_report, sms_conversation, sms_transcript, sms_counter, sms_chat_link");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    pool.dispose();
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
    }
  }
}
