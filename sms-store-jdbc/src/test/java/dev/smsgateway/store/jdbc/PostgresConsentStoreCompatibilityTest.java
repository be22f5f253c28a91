package dev.smsgateway.store.jdbc;

import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.test.ConsentStoreCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresConsentStoreCompatibilityTest extends ConsentStoreCompatibilityKit {

  private static final PostgresComplianceKitSupport POSTGRES = new PostgresComplianceKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected ConsentStore createStore(Clock clock) {
    return POSTGRES.freshStores(clock).consentStore();
  }

  @Override
  protected void closeStore(ConsentStore store) {
    POSTGRES.closeStores();
  }
}
