package dev.smsgateway.test;

import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.ConversationStore;
import java.time.Clock;

class InMemoryConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {
  @Override
  protected ConversationStore createStore(Clock clock) {
    return new InMemoryConversationStore(clock);
  }
}
