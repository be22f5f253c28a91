package dev.smsgateway.test;

import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.compliance.InMemoryHeldMessageStore;
import java.time.Clock;

class InMemoryHeldMessageStoreCompatibilityTest extends HeldMessageStoreCompatibilityKit {

  @Override
  protected HeldMessageStore createStore(Clock clock) {
    return new InMemoryHeldMessageStore();
  }
}
