package dev.smsgateway.test;

import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.MessageStore;
import java.time.Clock;

class InMemoryMessageStoreCompatibilityTest extends MessageStoreCompatibilityKit {
  @Override
  protected MessageStore createStore(Clock clock) {
    return new InMemoryMessageStore(clock);
  }
}
