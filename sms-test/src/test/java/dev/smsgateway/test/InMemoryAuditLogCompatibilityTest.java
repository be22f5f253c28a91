package dev.smsgateway.test;

import dev.smsgateway.compliance.AuditLog;
import dev.smsgateway.compliance.InMemoryAuditLog;
import java.time.Clock;

class InMemoryAuditLogCompatibilityTest extends AuditLogCompatibilityKit {

  @Override
  protected AuditLog createStore(Clock clock) {
    return new InMemoryAuditLog();
  }
}
