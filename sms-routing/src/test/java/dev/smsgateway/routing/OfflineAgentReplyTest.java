package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A reply into an open conversation whose agent went offline goes to the conversation's queue at once. */
class OfflineAgentReplyTest {

  private final TestWorld world = new TestWorld();

  @Test
  @DisplayName("RoutingEngine: the same conversation moves to the number's queue, its transcript kept")
  void engine() {
    Map<String, Presence> presence = new ConcurrentHashMap<>(Map.of("alice", Presence.AVAILABLE));
    RoutingEngine engine = world.engine(id -> presence.getOrDefault(id, Presence.AWAY));
    world.originators.put(OriginatorRecord.of(CUSTOMER, SALES_1, "alice", "Your table is ready", "m-1",
        world.clock.instant(), TestWorld.TTL));
    RouteDecision first = engine.route(world.inbound(CUSTOMER, SALES_1, "On my way"));
    assertThat(first).isInstanceOfSatisfying(RouteDecision.ToAgent.class, d -> assertThat(d.agentId()).isEqualTo("alice"));
    String id = ((RouteDecision.ToAgent) first).conversationId();

    presence.put("alice", Presence.OFFLINE);
    world.clock.advance(Duration.ofSeconds(30));
    RouteDecision second = engine.route(world.inbound(CUSTOMER, SALES_1, "Hello?"));
    assertThat(second).isInstanceOfSatisfying(RouteDecision.ToQueue.class, d -> {
      assertThat(d.queueCode()).isEqualTo("sales");
      assertThat(d.conversationId()).isEqualTo(id);
    });
    assertThat(world.conversations.find(id).orElseThrow().target()).isEqualTo(new RouteTarget.Queue("sales"));
    assertThat(world.conversations.transcript(id)).extracting(TranscriptEntry::text)
        .contains("On my way", "Agent alice is offline; moved to queue:sales", "Hello?");
  }

  @Test
  @DisplayName("ConversationService: the reply is assigned from the queue at once, not left until the idle timeout")
  void service() throws Exception {
    ConversationService service = world.service().build();
    service.registerAgent("alice", 2, Set.of());
    service.registerAgent("carol", 2, Set.of("sales"));
    service.setPresence("alice", Presence.AVAILABLE);
    service.setPresence("carol", Presence.AVAILABLE);
    String id = service.startOutbound("alice", "+14155550199", "+14155550123", "Your table is ready", null)
        .get(5, TimeUnit.SECONDS).conversationId();
    service.setPresence("alice", Presence.OFFLINE);
    world.events.events.clear();
    world.sender.sent.clear();

    service.handle(world.inbound(CUSTOMER, SALES_1, "Is it still ready?"));
    assertThat(service.conversation(id).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("carol"));
    assertThat(world.events.events).containsExactly("assigned carol", "message Is it still ready? -> agent:carol");
    assertThat(world.sender.bodies()).containsExactly(ChatControl.defaults().agentJoinedMessage());
    assertThat(service.transcript(id)).extracting(TranscriptEntry::text)
        .startsWith("Your table is ready").contains("Is it still ready?");
  }

  @Test
  @DisplayName("an away agent keeps the conversation")
  void awayKeeps() throws Exception {
    ConversationService service = world.service().build();
    service.registerAgent("alice", 2, Set.of());
    service.registerAgent("carol", 2, Set.of("sales"));
    service.setPresence("alice", Presence.AVAILABLE);
    service.setPresence("carol", Presence.AVAILABLE);
    String id = service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null)
        .get(5, TimeUnit.SECONDS).conversationId();
    service.setPresence("alice", Presence.AWAY);
    service.handle(world.inbound(CUSTOMER, SALES_1, "Hello"));
    assertThat(service.conversation(id).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("alice"));
  }
}
