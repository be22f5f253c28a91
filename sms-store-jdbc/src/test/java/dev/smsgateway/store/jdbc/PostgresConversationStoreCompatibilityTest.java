package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.test.ConversationStoreCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

  private static final PostgresKitSupport POSTGRES = new PostgresKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected ConversationStore createStore(Clock clock) {
    return POSTGRES.freshStores(clock).conversationStore();
  }

  @Override
  protected void closeStore(ConversationStore store) {
    POSTGRES.closeStores();
  }
}
