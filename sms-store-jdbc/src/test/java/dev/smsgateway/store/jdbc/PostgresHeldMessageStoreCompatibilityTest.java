package dev.smsgateway.store.jdbc;

import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.test.HeldMessageStoreCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresHeldMessageStoreCompatibilityTest extends HeldMessageStoreCompatibilityKit {

  private static final PostgresComplianceKitSupport POSTGRES = new PostgresComplianceKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected HeldMessageStore createStore(Clock clock) {
    return POSTGRES.freshStores(clock).heldMessageStore();
  }

  @Override
  protected HeldMessageStore secondStore() {
    return POSTGRES.secondStores(clock).heldMessageStore();
  }

  @Override
  protected void closeStore(HeldMessageStore store) {
    POSTGRES.closeStores();
  }
}
