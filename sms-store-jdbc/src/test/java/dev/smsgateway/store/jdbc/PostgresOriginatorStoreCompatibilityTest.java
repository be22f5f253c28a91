package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.OriginatorStoreCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresOriginatorStoreCompatibilityTest extends OriginatorStoreCompatibilityKit {

  private static final PostgresKitSupport POSTGRES = new PostgresKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected OriginatorStore createStore(Clock clock) {
    return POSTGRES.freshStores(clock).originatorStore();
  }

  @Override
  protected void closeStore(OriginatorStore store) {
    POSTGRES.closeStores();
  }
}
