package dev.smsgateway.store.jdbc;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.MessageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The databases ({@link EngineDataSource}) and the {@link JdbcStores} one test opens on them, with the test's clock
 * and no purge; {@link #close} closes the stores first, then the databases.
 */
final class EngineStores implements AutoCloseable {

  private final Clock clock;
  private final List<AutoCloseable> closing = new ArrayList<>();

  EngineStores(Clock clock) {
    this.clock = clock;
  }

  /** A new, empty database of {@code engine} ({@code "postgres"} or {@code "h2"}). */
  DataSource database(String engine) {
    return EngineDataSource.open(engine, closing);
  }

  /** Stores on {@code dataSource} (several may share one database, as gateways do). */
  JdbcStores stores(DataSource dataSource) {
    JdbcStores stores = JdbcStores.builder().dataSource(dataSource).clock(clock).purgeInterval(Duration.ZERO).build();
    closing.add(0, stores);
    return stores;
  }

  /** Stores on a new, empty database of {@code engine}. */
  JdbcStores open(String engine) {
    return stores(database(engine));
  }

  /** A message of {@code parts} parts to one customer, accepted and taken by provider "smpp" at {@code at}. */
  static MessageRecord sentRecord(String id, int parts, Instant at) {
    return MessageRecord.accepted(id, null, PhoneNumber.of("+4915112345678"),
        Originator.longCode(PhoneNumber.of("+14155550199")), parts, at).withProvider("smpp", at);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }
}
