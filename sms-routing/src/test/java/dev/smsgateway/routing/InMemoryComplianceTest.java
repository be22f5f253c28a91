package dev.smsgateway.routing;

import dev.smsgateway.compliance.InMemoryAuditLog;
import dev.smsgateway.compliance.InMemoryConsentStore;
import dev.smsgateway.compliance.InMemoryHeldMessageStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.MutableClock;

/** The compliance scenario on the in-memory stores; a "restart" reopens the same instances (one process). */
class InMemoryComplianceTest extends ComplianceScenario {

  private Stores stores;

  @Override
  protected Stores openStores(MutableClock clock) {
    if (stores == null) {
      stores = new Stores(new InMemoryConsentStore(), new InMemoryHeldMessageStore(), new InMemoryAuditLog(),
          new InMemoryOriginatorStore(clock), new InMemoryOptOutStore(), new InMemoryConversationStore(clock),
          new InMemoryMessageStore(clock), () -> {});
    }
    return stores;
  }
}
