package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.FLOW;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static dev.smsgateway.routing.TestWorld.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RoutingEngine#route} joins a reply to an open conversation with one store call
 * ({@link dev.smsgateway.store.ConversationStore#joinOpen}); these check that it decides exactly as the full path
 * ({@code routeDetailed}, which {@link ConversationService} uses) on every kind of open conversation: agent, queue,
 * an agent gone offline, a contact flow.
 */
class RoutingEngineJoinTest {

  private TestWorld world;
  private final Map<String, Presence> presence = new ConcurrentHashMap<>();
  private RoutingEngine engine;

  @BeforeEach
  void setUp() {
    world = new TestWorld();
    engine = world.engine(id -> presence.getOrDefault(id, Presence.AVAILABLE));
  }

  private void originate(String agent, dev.smsgateway.Originator business, String text) {
    world.originators.put(OriginatorRecord.of(CUSTOMER, business, agent, text, "out-1", world.clock.instant(), TTL));
  }

  @Test
  @DisplayName("a reply to an agent's open conversation: the agent, a touched conversation, the line appended")
  void joinsAgent() {
    originate("alice", SALES_1, "Your table is ready");
    RouteDecision.ToAgent first = (RouteDecision.ToAgent) engine.route(world.inbound(CUSTOMER, SALES_1, "On my way"));
    Conversation opened = world.conversations.find(first.conversationId()).orElseThrow();
    world.clock.advance(Duration.ofSeconds(30));
    RouteDecision second = engine.route(world.inbound(CUSTOMER, SALES_1, "Parking now"));
    assertThat(second).isEqualTo(new RouteDecision.ToAgent("alice", first.conversationId(), null,
        RoutingEngine.JOINED));
    Conversation now = world.conversations.find(first.conversationId()).orElseThrow();
    assertThat(now).isEqualTo(opened.touched(world.clock.instant()));
    assertThat(world.conversations.transcript(first.conversationId())).extracting(TranscriptEntry::direction,
        TranscriptEntry::author, TranscriptEntry::text).containsExactly(
            org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.WHISPER, "alice", "Your table is ready"),
            org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.INBOUND, "customer", "On my way"),
            org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.INBOUND, "customer", "Parking now"));
  }

  @Test
  @DisplayName("route and routeDetailed give equal decisions and leave equal conversations for a queue join")
  void sameAsDetailed() {
    RouteDecision.ToQueue first = (RouteDecision.ToQueue) engine.route(world.inbound(CUSTOMER, SALES_1, "Hello"));
    RouteDecision viaRoute = engine.route(world.inbound(CUSTOMER, SALES_1, "Anyone?"));
    Conversation afterRoute = world.conversations.find(first.conversationId()).orElseThrow();
    RouteDecision viaDetailed = engine.routeDetailed(world.inbound(CUSTOMER, SALES_1, "Anyone?")).decision();
    Conversation afterDetailed = world.conversations.find(first.conversationId()).orElseThrow();
    assertThat(viaRoute).isEqualTo(viaDetailed)
        .isEqualTo(new RouteDecision.ToQueue("sales", first.conversationId(), RoutingEngine.JOINED));
    assertThat(afterDetailed.version()).isEqualTo(afterRoute.version() + 1);
    assertThat(afterDetailed.target()).isEqualTo(afterRoute.target()).isEqualTo(new RouteTarget.Queue("sales"));
    assertThat(world.conversations.transcript(first.conversationId())).extracting(TranscriptEntry::text)
        .containsExactly("Hello", "Anyone?", "Anyone?");
  }

  @Test
  @DisplayName("the conversation's agent went offline: route moves it to the number's queue, as the full path does")
  void offlineAgentMoves() {
    originate("alice", SALES_1, "Your table is ready");
    RouteDecision.ToAgent first = (RouteDecision.ToAgent) engine.route(world.inbound(CUSTOMER, SALES_1, "On my way"));
    presence.put("alice", Presence.OFFLINE);
    RouteDecision d = engine.route(world.inbound(CUSTOMER, SALES_1, "Hello?"));
    assertThat(d).isInstanceOfSatisfying(RouteDecision.ToQueue.class, q -> {
      assertThat(q.conversationId()).isEqualTo(first.conversationId());
      assertThat(q.reason()).contains("agent alice is offline");
    });
    assertThat(world.conversations.find(first.conversationId()).orElseThrow().target())
        .isEqualTo(new RouteTarget.Queue("sales"));
    assertThat(world.conversations.transcript(first.conversationId())).extracting(TranscriptEntry::text)
        .containsExactly("Your table is ready", "On my way", "Agent alice is offline; moved to queue:sales", "Hello?");
  }

  @Test
  @DisplayName("a reply into a contact-flow conversation: the flow with its attributes, as the full path gives")
  void contactFlowJoin() {
    originate("alice", FLOW, "Your order shipped");
    RouteDecision.ToContactFlow first = (RouteDecision.ToContactFlow) engine.route(world.inbound(CUSTOMER, FLOW,
        "Where is it?"));
    RouteDecision second = engine.route(world.inbound(CUSTOMER, FLOW, "Any news?"));
    assertThat(second).isInstanceOfSatisfying(RouteDecision.ToContactFlow.class, f -> {
      assertThat(f.conversationId()).isEqualTo(first.conversationId());
      assertThat(f.attributes()).containsEntry(RoutingEngine.ATTR_ORIGINATING_AGENT, "alice")
          .containsEntry(RoutingEngine.ATTR_ORIGINAL_TEXT, "Your order shipped")
          .containsEntry(RoutingEngine.ATTR_CONVERSATION_ID, first.conversationId());
      assertThat(f.reason()).isEqualTo(RoutingEngine.JOINED);
    });
    assertThat(world.conversations.transcript(first.conversationId())).extracting(TranscriptEntry::text)
        .containsExactly("Your order shipped", "Where is it?", "Any news?");
  }
}
