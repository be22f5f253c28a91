package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.test.ConversationStoreCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

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
  protected ConversationStore createStore(Clock clock) {
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    database.truncateAll();
    return stores.conversationStore();
  }

  @Override
  protected void closeStore(ConversationStore store) {
    stores.close();
  }
}
