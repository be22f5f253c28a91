package dev.smsgateway.test;

import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.InMemoryAgentStore;
import java.time.Clock;

class InMemoryAgentStoreCompatibilityTest extends AgentStoreCompatibilityKit {

  @Override
  protected AgentStore createStore(Clock clock) {
    return new InMemoryAgentStore();
  }
}
