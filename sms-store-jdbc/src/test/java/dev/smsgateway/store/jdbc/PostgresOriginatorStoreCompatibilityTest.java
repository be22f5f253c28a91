package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.OriginatorStoreCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

class PostgresOriginatorStoreCompatibilityTest extends OriginatorStoreCompatibilityKit {

  private static PostgresDatabase database;
  private JdbcStores stores;

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected OriginatorStore createStore(Clock clock) {
    if (database == null) {
      // Here rather than in @BeforeAll: without a server every test is reported skipped, with the reason.
      database = PostgresDatabase.create();
    }
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    database.truncateAll();
    return stores.originatorStore();
  }

  @Override
  protected void closeStore(OriginatorStore store) {
    if (stores != null) {
      stores.close();
    }
  }
}
