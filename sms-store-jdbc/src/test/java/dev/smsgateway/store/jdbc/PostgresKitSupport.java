package dev.smsgateway.store.jdbc;

import java.time.Clock;
import java.time.Duration;

/**
 * What the PostgreSQL kit tests share: one database per test class, created on first use (so that without a server
 * every test is reported skipped, with the reason), and fresh stores on emptied tables for each test.
 */
final class PostgresKitSupport implements AutoCloseable {

  private PostgresDatabase database;
  private JdbcStores stores;

  /** Stores on emptied tables, reading time from {@code clock}; closed by {@link #closeStores()}. */
  JdbcStores freshStores(Clock clock) {
    if (database == null) {
      database = PostgresDatabase.create();
    }
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    database.truncateAll();
    return stores;
  }

  void closeStores() {
    if (stores != null) {
      stores.close();
    }
  }

  /** Drops the database. */
  @Override
  public void close() {
    if (database != null) {
      database.close();
    }
  }
}
