package dev.smsgateway.store.jdbc;

import dev.smsgateway.compliance.AuditLog;
import dev.smsgateway.test.AuditLogCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

class PostgresAuditLogCompatibilityTest extends AuditLogCompatibilityKit {

  private static final PostgresComplianceKitSupport POSTGRES = new PostgresComplianceKitSupport();

  @AfterAll
  static void dropDatabase() {
    POSTGRES.close();
  }

  @Override
  protected AuditLog createStore(Clock clock) {
    return POSTGRES.freshStores(clock).auditLog();
  }

  @Override
  protected void closeStore(AuditLog store) {
    POSTGRES.closeStores();
  }
}
