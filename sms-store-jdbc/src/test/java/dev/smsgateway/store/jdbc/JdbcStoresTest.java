package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.test.ManualScheduler;
import dev.smsgateway.test.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcStoresTest {

  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  @TempDir Path directory;
  private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

  @Test
  @DisplayName("an interrupted writer does not close the H2 file for everyone else (NIO closes channels on interrupt)")
  void h2SurvivesInterruptedWriters() throws Exception {
    try (JdbcStores stores = JdbcStores.builder().h2File(directory).clock(clock).build()) {
      for (int i = 0; i < 5; i++) {
        PhoneNumber customer = PhoneNumber.of("+1415555020" + i);
        Thread.currentThread().interrupt();
        try {
          stores.optOutStore().record(new OptOutRecord(customer, true, "STOP", "test", clock.instant()));
        } catch (SmsTransportException tolerated) {
          // the interrupted write itself may fail; what matters is that the store keeps working afterwards
        } finally {
          Thread.interrupted();
        }
      }
      stores.optOutStore().record(new OptOutRecord(CUSTOMER, true, "STOP", "test", clock.instant()));
      assertThat(stores.optOutStore().isOptedOut(CUSTOMER)).isTrue();
      assertThat(stores.optOutStore().isOptedOut(PhoneNumber.of("+14155550204"))).isTrue();
    }
    try (JdbcStores reopened = JdbcStores.builder().h2File(directory).clock(clock).build()) {
      assertThat(reopened.optOutStore().isOptedOut(CUSTOMER)).isTrue();
    }
  }

  @Test
  @DisplayName("an H2 file database keeps records across close and reopen, with its schema migrated once")
  void h2Reopen() throws Exception {
    OriginatorRecord record = OriginatorRecord.of(CUSTOMER, BUSINESS, "alice", "hi", "m1", clock.instant(),
        Duration.ofHours(1));
    try (JdbcStores stores = JdbcStores.builder().h2File(directory).clock(clock).build()) {
      assertThat(stores.schemaVersion()).isEqualTo(Schema.latestVersion());
      stores.originatorStore().put(record);
      stores.optOutStore().record(new OptOutRecord(CUSTOMER, true, "STOP", "test", clock.instant()));
    }
    try (JdbcStores stores = JdbcStores.builder().h2File(directory).clock(clock).build()) {
      assertThat(stores.originatorStore().find(CUSTOMER, BUSINESS)).contains(record);
      assertThat(stores.optOutStore().isOptedOut(CUSTOMER)).isTrue();
      assertThat(historyRows(h2At(directory))).isEqualTo(Schema.MIGRATIONS.size());
    }
  }

  @Test
  @DisplayName("four instances starting together on one PostgreSQL database migrate it exactly once")
  void concurrentMigrationPostgres() throws Exception {
    try (PostgresDatabase database = PostgresDatabase.create()) {
      List<JdbcStores> started = startTogether(4, () -> JdbcStores.builder().dataSource(database.dataSource())
          .clock(clock).purgeInterval(Duration.ZERO).build());
      assertThat(started).allSatisfy(s -> assertThat(s.schemaVersion()).isEqualTo(Schema.latestVersion()));
      assertThat(historyRows(database.dataSource())).isEqualTo(Schema.MIGRATIONS.size());
      started.forEach(JdbcStores::close);
    }
  }

  @Test
  @DisplayName("four instances starting together on one H2 database migrate it exactly once")
  void concurrentMigrationH2() throws Exception {
    DataSource h2 = h2(directory);
    List<JdbcStores> started = startTogether(4, () -> JdbcStores.builder().dataSource(h2).clock(clock)
        .purgeInterval(Duration.ZERO).build());
    assertThat(historyRows(h2)).isEqualTo(Schema.MIGRATIONS.size());
    started.forEach(JdbcStores::close);
  }

  @Test
  @DisplayName("a database migrated by a newer release is used as it is")
  void newerSchema() throws Exception {
    DataSource h2 = h2(directory);
    JdbcStores.builder().dataSource(h2).build().close();
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO sms_schema_history VALUES (99, 'from the future', 0)");
    }
    try (JdbcStores stores = JdbcStores.builder().dataSource(h2).clock(clock).build()) {
      assertThat(stores.schemaVersion()).isEqualTo(99);
      stores.optOutStore().record(new OptOutRecord(CUSTOMER, true, "STOP", "test", clock.instant()));
      assertThat(stores.optOutStore().isOptedOut(CUSTOMER)).isTrue();
    }
  }

  @Test
  @DisplayName("without migration, an empty database is a configuration error that says what to do")
  void noMigration() {
    assertThatThrownBy(() -> JdbcStores.builder().dataSource(h2(directory)).migrate(false).build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("version 0")
        .hasMessageContaining("migrate(true)");
  }

  @Test
  @DisplayName("the periodic purge deletes expired rows on the given scheduler")
  void periodicPurge() throws Exception {
    ManualScheduler scheduler = new ManualScheduler(clock);
    DataSource h2 = h2(directory);
    try (JdbcStores stores = JdbcStores.builder().dataSource(h2).clock(clock).scheduler(scheduler)
        .purgeInterval(Duration.ofMinutes(1)).build()) {
      stores.originatorStore().put(OriginatorRecord.of(CUSTOMER, BUSINESS, "alice", null, null, clock.instant(),
          Duration.ofSeconds(30)));
      stores.messageStore().markSeen("sns:1", clock.instant().plusSeconds(30));
      assertThat(rows(h2, "sms_originator") + rows(h2, "sms_seen")).isEqualTo(2);
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(rows(h2, "sms_originator") + rows(h2, "sms_seen")).isZero();
    }
    assertThat(scheduler.pendingTasks()).as("close cancels the purge").isZero();
  }

  @Test
  @DisplayName("builder: exactly one database, typed errors for bad settings, NPE naming null arguments")
  void builderChecks() {
    assertThatThrownBy(() -> JdbcStores.builder().build()).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> JdbcStores.builder().h2File(directory).dataSource(h2(directory)).build())
        .isInstanceOf(SmsConfigurationException.class);
    assertThatThrownBy(() -> JdbcStores.builder().purgeInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("purgeInterval");
    assertThatThrownBy(() -> JdbcStores.builder().dataSource(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("dataSource == null");
    assertThatThrownBy(() -> JdbcStores.builder().clock(null)).hasMessage("clock == null");
    try (JdbcStores stores = JdbcStores.builder().h2File(directory).build()) {
      assertThatThrownBy(() -> stores.originatorStore().find(null, BUSINESS)).hasMessage("customer == null");
      assertThatThrownBy(() -> stores.messageStore().markSeen("k", null)).hasMessage("expiresAt == null");
      assertThat(stores.toString()).isEqualTo("JdbcStores{dialect=H2, schemaVersion=" + Schema.latestVersion() + "}");
    }
  }

  @Test
  @DisplayName("a database that cannot be reached is a retryable SmsTransportException with the SQL state")
  void unreachable() {
    DataSource broken = new FailingDataSource(new SQLException("Connection refused", "08001"));
    assertThatThrownBy(() -> JdbcStores.builder().dataSource(broken).build())
        .isInstanceOfSatisfying(SmsTransportException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.providerCode()).contains("08001");
          assertThat(e.getMessage()).contains("Connection refused");
        });
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "H2, H2",
      "PostgreSQL, POSTGRESQL",
  })
  void dialects(String product, Dialect expected) {
    assertThat(Dialect.of(product)).isEqualTo(expected);
  }

  @Test
  void unsupportedDatabase() {
    assertThatThrownBy(() -> Dialect.of("MySQL")).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("MySQL");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "2026-01-01T00:00:00Z",
      "2026-01-01T00:00:00.123456789Z",
      "1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59.999999999Z",
      "2262-04-11T23:47:16.854775807Z",
  })
  void instantsRoundTrip(Instant instant) {
    assertThat(Jdbc.instant(Jdbc.nanos(instant))).isEqualTo(instant);
  }

  @Test
  void instantsBeyondLongAreClamped() {
    assertThat(Jdbc.nanos(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(Jdbc.nanos(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"+14155550199", "+18005550100", "12345@US", "ACME Inc"})
  void originatorRefsRoundTrip(String key) {
    Originator o = key.contains("@") ? Originator.fromKey(key) : key.startsWith("+18")
        ? Originator.tollFree(PhoneNumber.of(key)) : Originator.fromKey(key);
    assertThat(Jdbc.originator(Jdbc.originatorRef(o))).isEqualTo(o);
  }

  private static List<JdbcStores> startTogether(int n, Callable<JdbcStores> start) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JdbcStores>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return start.call();
        }));
      }
      go.countDown();
      List<JdbcStores> started = new ArrayList<>();
      for (Future<JdbcStores> f : futures) {
        started.add(f.get(60, TimeUnit.SECONDS));
      }
      return started;
    } finally {
      pool.shutdownNow();
    }
  }

  private static DataSource h2(Path directory) {
    return h2At(directory.resolve("raw"));
  }

  private static DataSource h2At(Path directory) {
    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ds.setURL(H2Files.url(directory));
    ds.setUser("sa");
    return ds;
  }

  private static int historyRows(DataSource ds) throws SQLException {
    return rows(ds, "sms_schema_history");
  }

  private static int rows(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** A DataSource whose connections always fail, as an unreachable server's do. */
  private record FailingDataSource(SQLException failure) implements SimpleDataSource {
    @Override
    public Connection getConnection() throws SQLException {
      throw failure;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw failure;
    }
  }
}
