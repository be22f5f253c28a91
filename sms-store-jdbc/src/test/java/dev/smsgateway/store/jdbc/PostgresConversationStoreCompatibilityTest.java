package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.test.ConversationStoreCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

class PostgresConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

  private static PostgresDatabase database;
  private JdbcStores stores;

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected ConversationStore createStore(Clock clock) {
    if (database == null) {
      // Here rather than in @BeforeAll: without a server every test is reported skipped, with the reason.
      database = PostgresDatabase.create();
    }
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    database.truncateAll();
    return stores.conversationStore();
  }

  @Override
  protected void closeStore(ConversationStore store) {
    if (stores != null) {
      stores.close();
    }
  }
}
