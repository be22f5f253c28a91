package dev.smsgateway.test;

import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.OptOutStore;
import java.time.Clock;

class InMemoryOptOutStoreCompatibilityTest extends OptOutStoreCompatibilityKit {
  @Override
  protected OptOutStore createStore(Clock clock) {
    return new InMemoryOptOutStore();
  }
}
