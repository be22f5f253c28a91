package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.CUSTOMER_2;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static dev.smsgateway.routing.TestWorld.SALES_2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.Conversation;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Queued state is visible: an event with position and depth, and queries for queues, agents and conversations. */
class QueueVisibilityTest {

  private static final PhoneNumber CUSTOMER_3 = PhoneNumber.of("+14155550125");
  private final TestWorld world = new TestWorld();
  private ConversationService service;
  private ConversationMonitor monitor;

  @BeforeEach
  void setUp() {
    service = world.service().build();
    monitor = service.monitor();
    service.registerAgent("bob", 1, Set.of("sales"));
    service.registerAgent("dave", 3, Set.of("sales", "quiet"));
    service.setPresence("bob", Presence.AVAILABLE);
  }

  private Conversation open(PhoneNumber customer, dev.smsgateway.Originator business) {
    return world.conversations.findOpen(customer, business).orElseThrow();
  }

  @Test
  @DisplayName("a conversation left waiting is announced with its position and the queue's depth, before its message")
  void queuedEvent() {
    service.handle(world.inbound(CUSTOMER, SALES_1, "first"));
    world.clock.advance(Duration.ofSeconds(1));
    service.handle(world.inbound(CUSTOMER_2, SALES_1, "second"));
    world.clock.advance(Duration.ofSeconds(1));
    service.handle(world.inbound(CUSTOMER_3, SALES_2, "third"));
    assertThat(world.events.events).containsExactly("assigned bob", "message first -> agent:bob",
        "queued queue:sales 1/1", "message second -> queue:sales",
        "queued queue:sales 2/2", "message third -> queue:sales");
  }

  @Test
  @DisplayName("queries: queue depth and positions, queue status, agent load, an agent's conversations, open ones")
  void queries() {
    Instant t0 = world.clock.instant();
    service.handle(world.inbound(CUSTOMER, SALES_1, "first"));
    world.clock.advance(Duration.ofSeconds(1));
    service.handle(world.inbound(CUSTOMER_2, SALES_1, "second"));
    world.clock.advance(Duration.ofSeconds(1));
    service.handle(world.inbound(CUSTOMER_3, SALES_2, "third"));
    Conversation first = open(CUSTOMER, SALES_1);
    Conversation second = open(CUSTOMER_2, SALES_1);
    Conversation third = open(CUSTOMER_3, SALES_2);

    assertThat(monitor.depth("sales")).isEqualTo(2);
    assertThat(monitor.waiting("sales")).extracting(Conversation::id).containsExactly(second.id(), third.id());
    assertThat(monitor.position(second.id())).hasValue(1);
    assertThat(monitor.position(third.id())).hasValue(2);
    assertThat(monitor.position(first.id())).isEmpty();
    assertThat(monitor.queue("sales")).isEqualTo(new QueueStatus("sales", 2, 1, 0, t0.plusSeconds(1)));
    assertThat(monitor.queues()).extracting(QueueStatus::queue).containsExactly("quiet", "sales");
    assertThat(monitor.agent("bob")).hasValueSatisfying(a -> {
      assertThat(a.load()).isEqualTo(1);
      assertThat(a.capacity()).isEqualTo(1);
      assertThat(a.canTakeMore()).isFalse();
    });
    assertThat(monitor.agents()).extracting(AgentStatus::agentId, AgentStatus::presence).containsExactly(
        org.assertj.core.groups.Tuple.tuple("bob", Presence.AVAILABLE),
        org.assertj.core.groups.Tuple.tuple("dave", Presence.OFFLINE));
    assertThat(monitor.conversationsOf("bob")).extracting(Conversation::id).containsExactly(first.id());
    assertThat(monitor.open(100)).extracting(Conversation::id).containsExactlyInAnyOrder(first.id(), second.id(),
        third.id());

    service.end(first.id(), Conversation.EndReason.AGENT);
    assertThat(monitor.conversationsOf("bob")).extracting(Conversation::id).containsExactly(second.id());
    assertThat(monitor.position(third.id())).hasValue(1);
    service.setPresence("dave", Presence.AVAILABLE);
    assertThat(monitor.depth("sales")).isZero();
    assertThat(monitor.queue("sales")).isEqualTo(new QueueStatus("sales", 0, 2, 2, null));
  }

  @Test
  @DisplayName("a released conversation that finds nobody is announced as waiting too")
  void releaseWaits() {
    service.handle(world.inbound(CUSTOMER, SALES_1, "hi"));
    Conversation c = open(CUSTOMER, SALES_1);
    service.setPresence("bob", Presence.AWAY);
    world.events.events.clear();
    service.release("bob", c.id());
    assertThat(world.events.events).containsExactly("queued queue:sales 1/1");
    assertThat(monitor.position(c.id())).hasValue(1);
  }
}
