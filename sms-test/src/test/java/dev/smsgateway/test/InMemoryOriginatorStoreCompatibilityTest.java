package dev.smsgateway.test;

import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OriginatorStore;
import java.time.Clock;

class InMemoryOriginatorStoreCompatibilityTest extends OriginatorStoreCompatibilityKit {
  @Override
  protected OriginatorStore createStore(Clock clock) {
    return new InMemoryOriginatorStore(clock);
  }
}
