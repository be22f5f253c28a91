package dev.smsgateway.store.jdbc;

import dev.smsgateway.test.RetentionStoreCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresRetentionStoreCompatibilityTest extends RetentionStoreCompatibilityKit {

  private static final PostgresKitSupport POSTGRES = new PostgresKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected Stores createStore(Clock clock) {
    JdbcStores stores = POSTGRES.freshStores(clock);
    return new Stores(stores.conversationStore(), stores.messageStore(), stores.retentionStore(),
        POSTGRES::closeStores);
  }
}
