package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.OriginatorStoreCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresOriginatorStoreCompatibilityTest extends OriginatorStoreCompatibilityKit {

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
  protected OriginatorStore createStore(Clock clock) {
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    database.truncateAll();
    return stores.originatorStore();
  }

  @Override
  protected void closeStore(OriginatorStore store) {
    stores.close();
  }
}
