package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The agent's original outbound text is kept in the transcript of the conversation a reply opens. */
class WhisperTranscriptTest {

  private final TestWorld world = new TestWorld();

  @Test
  @DisplayName("ConversationService: the reply's conversation starts with the whisper (original time, agent, id)")
  void service() throws Exception {
    ConversationService service = world.service().build();
    service.registerAgent("alice", 2, Set.of());
    service.setPresence("alice", Presence.AVAILABLE);
    Instant sentAt = world.clock.instant();
    OutboundConversation out = service.startOutbound("alice", "+14155550199", "+14155550123",
        "Your table is ready", null).get(5, TimeUnit.SECONDS);
    service.end(out.conversationId(), Conversation.EndReason.AGENT);
    world.clock.advance(Duration.ofMinutes(20));

    service.handle(world.inbound(CUSTOMER, SALES_1, "Still there?"));
    Conversation reply = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    assertThat(reply.id()).isNotEqualTo(out.conversationId());
    List<TranscriptEntry> lines = service.transcript(reply.id());
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo(new TranscriptEntry(reply.id(), sentAt, TranscriptEntry.Direction.WHISPER,
        "alice", "Your table is ready", out.messageId()));
    assertThat(lines.get(1).direction()).isEqualTo(TranscriptEntry.Direction.INBOUND);
    assertThat(lines.get(1).text()).isEqualTo("Still there?");
  }

  @Test
  @DisplayName("RoutingEngine: the whisper is kept when the agent is offline and the reply goes to the queue")
  void engineQueue() {
    RoutingEngine engine = world.engine(id -> Presence.OFFLINE);
    Instant sentAt = world.clock.instant();
    world.originators.put(OriginatorRecord.of(CUSTOMER, SALES_1, "alice", "Your order shipped", "m-7", sentAt,
        TestWorld.TTL));
    world.clock.advance(Duration.ofMinutes(5));
    RouteDecision d = engine.route(world.inbound(CUSTOMER, SALES_1, "Thanks"));
    assertThat(d).isInstanceOf(RouteDecision.ToQueue.class);
    String id = ((RouteDecision.ToQueue) d).conversationId();
    assertThat(world.conversations.transcript(id)).extracting(TranscriptEntry::direction, TranscriptEntry::author,
            TranscriptEntry::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.WHISPER, "alice",
                "Your order shipped"),
            org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.INBOUND, "customer", "Thanks"));
  }

  @Test
  @DisplayName("no originator record, no whisper line")
  void noRecord() {
    RoutingEngine engine = world.engine(AgentDirectory.ALL_AVAILABLE);
    RouteDecision d = engine.route(world.inbound(CUSTOMER, SALES_1, "Hello"));
    assertThat(world.conversations.transcript(((RouteDecision.ToQueue) d).conversationId()))
        .extracting(TranscriptEntry::direction).containsExactly(TranscriptEntry.Direction.INBOUND);
  }
}
