package dev.smsgateway.test;

import dev.smsgateway.compliance.InMemoryRetentionStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import java.time.Clock;

class InMemoryRetentionStoreCompatibilityTest extends RetentionStoreCompatibilityKit {

  @Override
  protected Stores createStore(Clock clock) {
    InMemoryConversationStore conversations = new InMemoryConversationStore(clock);
    InMemoryMessageStore messages = new InMemoryMessageStore(clock);
    return new Stores(conversations, messages, new InMemoryRetentionStore(conversations, messages), () -> { });
  }
}
