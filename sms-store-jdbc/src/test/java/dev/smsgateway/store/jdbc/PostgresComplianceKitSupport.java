package dev.smsgateway.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

/** One database per kit test class, and fresh stores with emptied compliance tables for each test. */
final class PostgresComplianceKitSupport implements AutoCloseable {

  private PostgresDatabase database;
  private JdbcStores stores;
  private final java.util.List<JdbcStores> second = new java.util.ArrayList<>();

  JdbcStores freshStores(Clock clock) {
    if (database == null) {
      database = PostgresDatabase.create();
    }
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE sms_consent, sms_held_message, sms_audit");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return stores;
  }

  /** More stores on the same database (a second gateway), without emptying it; closed by {@link #closeStores}. */
  JdbcStores secondStores(Clock clock) {
    JdbcStores more = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO)
        .build();
    second.add(more);
    return more;
  }

  void closeStores() {
    if (stores != null) {
      stores.close();
    }
    second.forEach(JdbcStores::close);
    second.clear();
  }

  @Override
  public void close() {
    if (database != null) {
      database.close();
    }
  }
}
