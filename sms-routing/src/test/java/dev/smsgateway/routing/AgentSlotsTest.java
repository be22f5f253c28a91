package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.CUSTOMER_2;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.AgentRecord;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryAgentStore;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The agent store's slots follow the conversation store on every path: what the router changes on its own, what
 * another instance left half done, and what a store shared with an earlier run already holds.
 */
class AgentSlotsTest {

  private final TestWorld world = new TestWorld();
  private final InMemoryAgentStore agents = new InMemoryAgentStore();
  private final ConversationService service = world.service().agentStore(agents).build();

  @AfterEach
  void close() {
    service.close();
  }

  private AgentRecord alice() {
    return agents.find("alice").orElseThrow();
  }

  @Test
  @DisplayName("a reply that moves an offline agent's conversation to the queue frees the agent's slot")
  void offlineRequeueFreesSlot() {
    service.registerAgent("alice", 1, Set.of("sales"));
    service.setPresence("alice", Presence.AVAILABLE);
    service.handle(world.inbound(CUSTOMER, SALES_1, "Hello"));
    Conversation c = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    assertThat(alice().slots()).containsOnlyKeys(c.id());

    service.setPresence("alice", Presence.OFFLINE);
    world.clock.advance(Duration.ofSeconds(5));
    service.handle(world.inbound(CUSTOMER, SALES_1, "Anyone there?"));

    assertThat(world.conversations.find(c.id()).orElseThrow().target()).isEqualTo(new RouteTarget.Queue("sales"));
    assertThat(alice().load()).isZero();
    service.setPresence("alice", Presence.AVAILABLE);
    assertThat(world.conversations.find(c.id()).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("alice"));
  }

  @Test
  @DisplayName("a slot claimed by an instance that died before assigning is released by a sweep after the grace")
  void abandonedClaim() {
    service.registerAgent("alice", 1, Set.of("sales"));
    service.handle(world.inbound(CUSTOMER, SALES_1, "Hello"));
    Conversation waiting = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    // Another instance makes alice available and claims her slot for the conversation, then dies.
    agents.setPresence("alice", AgentRecord.AVAILABLE, world.clock.instant());
    assertThat(agents.claim("sales", waiting.id(), Set.of(), world.clock.instant())).contains("alice");

    world.clock.advance(Agents.CLAIM_GRACE.minusSeconds(1));
    service.sweep();
    assertThat(world.conversations.find(waiting.id()).orElseThrow().state()).isEqualTo(Conversation.State.QUEUED);

    world.clock.advance(Duration.ofSeconds(1));
    assertThat(service.sweep()).isEqualTo(1);
    assertThat(world.conversations.find(waiting.id()).orElseThrow().target())
        .isEqualTo(new RouteTarget.Agent("alice"));
    assertThat(alice().slots()).containsOnlyKeys(waiting.id());
  }

  @Test
  @DisplayName("an agent registered again on a fresh agent store counts the conversations the store already has")
  void registerCountsOpenConversations() {
    service.registerAgent("alice", 1, Set.of("sales"));
    service.setPresence("alice", Presence.AVAILABLE);
    service.handle(world.inbound(CUSTOMER, SALES_1, "Hello"));

    // A restart: durable conversations, but agents in a new in-memory store.
    InMemoryAgentStore fresh = new InMemoryAgentStore();
    try (ConversationService restarted = world.service().agentStore(fresh).build()) {
      restarted.registerAgent("alice", 1, Set.of("sales"));
      assertThat(fresh.find("alice").orElseThrow().load()).isEqualTo(1);
      restarted.setPresence("alice", Presence.AVAILABLE);
      restarted.handle(world.inbound(CUSTOMER_2, SALES_1, "Me too"));
      assertThat(world.conversations.findOpen(CUSTOMER_2, SALES_1).orElseThrow().state())
          .isEqualTo(Conversation.State.QUEUED);
    }
  }

  @Test
  @DisplayName("a conversation ended elsewhere frees the agent's slot at the next sweep, and the queue moves on")
  void endedElsewhere() {
    service.registerAgent("alice", 1, Set.of("sales"));
    service.setPresence("alice", Presence.AVAILABLE);
    service.handle(world.inbound(CUSTOMER, SALES_1, "Hello"));
    service.handle(world.inbound(CUSTOMER_2, SALES_1, "Hello too"));
    Conversation first = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    Conversation second = world.conversations.findOpen(CUSTOMER_2, SALES_1).orElseThrow();
    assertThat(second.state()).isEqualTo(Conversation.State.QUEUED);

    assertThat(world.conversations.update(first.ended(Conversation.EndReason.AGENT, world.clock.instant()))).isTrue();
    assertThat(service.sweep()).isEqualTo(1);

    assertThat(world.conversations.find(second.id()).orElseThrow().target())
        .isEqualTo(new RouteTarget.Agent("alice"));
    assertThat(alice().slots()).containsOnlyKeys(second.id());
  }
}
