package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.MessageStore;
import dev.smsgateway.test.MessageStoreCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresMessageStoreCompatibilityTest extends MessageStoreCompatibilityKit {

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
  protected MessageStore createStore(Clock clock) {
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    database.truncateAll();
    return stores.messageStore();
  }

  @Override
  protected void closeStore(MessageStore store) {
    stores.close();
  }
}
