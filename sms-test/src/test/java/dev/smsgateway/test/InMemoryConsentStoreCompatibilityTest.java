package dev.smsgateway.test;

import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.compliance.InMemoryConsentStore;
import java.time.Clock;

class InMemoryConsentStoreCompatibilityTest extends ConsentStoreCompatibilityKit {

  @Override
  protected ConsentStore createStore(Clock clock) {
    return new InMemoryConsentStore();
  }
}
