package dev.smsgateway.routing;

import dev.smsgateway.events.ConversationEventBus;
import dev.smsgateway.events.InMemoryConversationEventLog;
import dev.smsgateway.store.InMemoryAgentStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;

/**
 * {@link ThreeInstanceEventsScenario} in one JVM: three services on the same in-memory stores and one
 * {@link InMemoryConversationEventLog}, each with its own bus over that log (so a publish on one instance reaches
 * another's subscription by its poll, as across processes).
 */
class InMemoryThreeInstanceEventsTest extends ThreeInstanceEventsScenario {

  private InMemoryOriginatorStore originators;
  private InMemoryOptOutStore optOuts;
  private InMemoryConversationStore conversations;
  private InMemoryAgentStore agents;
  private InMemoryMessageStore messages;
  private InMemoryConversationEventLog log;

  @Override
  protected void openShared() {
    originators = new InMemoryOriginatorStore(clock);
    optOuts = new InMemoryOptOutStore();
    conversations = new InMemoryConversationStore();
    agents = new InMemoryAgentStore();
    messages = new InMemoryMessageStore(clock);
    log = new InMemoryConversationEventLog();
  }

  @Override
  protected Stores openStores(MutableClock clock, String name) {
    ConversationEventBus bus = ConversationEventBus.builder(log).pollInterval(Duration.ofMillis(20)).clock(clock).build();
    return new Stores(originators, optOuts, conversations, agents, messages, bus, bus::close);
  }

  @Override
  protected void closeShared() {}
}
