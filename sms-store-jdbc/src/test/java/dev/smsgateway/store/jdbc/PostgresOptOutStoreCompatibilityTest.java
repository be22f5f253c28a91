package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.test.OptOutStoreCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresOptOutStoreCompatibilityTest extends OptOutStoreCompatibilityKit {

  private static final PostgresKitSupport POSTGRES = new PostgresKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected OptOutStore createStore(Clock clock) {
    return POSTGRES.freshStores(clock).optOutStore();
  }

  @Override
  protected void closeStore(OptOutStore store) {
    POSTGRES.closeStores();
  }
}
