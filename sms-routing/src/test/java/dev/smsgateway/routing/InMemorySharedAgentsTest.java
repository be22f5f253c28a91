package dev.smsgateway.routing;

import dev.smsgateway.store.InMemoryAgentStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.MutableClock;

/**
 * {@link SharedAgentsScenario} with two services in one JVM on the same in-memory store objects: what the durable
 * stores must do across processes, the in-memory ones do across services.
 */
class InMemorySharedAgentsTest extends SharedAgentsScenario {

  private Stores shared;

  @Override
  protected void openShared() {
    shared = new Stores(new InMemoryOriginatorStore(clock), new InMemoryOptOutStore(), new InMemoryConversationStore(),
        new InMemoryAgentStore(), () -> { });
  }

  @Override
  protected Stores openStores(MutableClock clock) {
    return shared;
  }

  @Override
  protected void closeShared() {}
}
