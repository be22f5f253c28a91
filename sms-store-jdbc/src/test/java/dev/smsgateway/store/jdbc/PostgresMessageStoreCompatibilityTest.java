package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.MessageStore;
import dev.smsgateway.test.MessageStoreCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresMessageStoreCompatibilityTest extends MessageStoreCompatibilityKit {

  private static final PostgresKitSupport POSTGRES = new PostgresKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected MessageStore createStore(Clock clock) {
    return POSTGRES.freshStores(clock).messageStore();
  }

  @Override
  protected void closeStore(MessageStore store) {
    POSTGRES.closeStores();
  }
}
