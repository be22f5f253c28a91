package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.test.OptOutStoreCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresOptOutStoreCompatibilityTest extends OptOutStoreCompatibilityKit {

  private static PostgresDatabase database;
  private JdbcStores stores;

  @BeforeAll
  static void createDatabase() {
    database = PostgresDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected OptOutStore createStore(Clock clock) {
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    database.truncateAll();
    return stores.optOutStore();
  }

  @Override
  protected void closeStore(OptOutStore store) {
    stores.close();
  }
}
