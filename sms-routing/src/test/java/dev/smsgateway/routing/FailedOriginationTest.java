package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A failed startOutbound leaves no originator record that routes a reply; an unknown outcome keeps it. */
class FailedOriginationTest {

  private final TestWorld world = new TestWorld();
  private ConversationService service;

  @BeforeEach
  void setUp() {
    service = world.service().build();
    service.registerAgent("alice", 2, Set.of());
    service.registerAgent("bob", 2, Set.of());
    service.registerAgent("carol", 2, Set.of("sales"));
    for (String agent : new String[] {"alice", "bob", "carol"}) {
      service.setPresence(agent, Presence.AVAILABLE);
    }
  }

  static Stream<Arguments> permanentFailures() {
    return Stream.of(
        Arguments.of("rejected", new SmsRejectedException("invalid destination", "smpp", "0x0B")),
        Arguments.of("opted out at the gateway", new SmsOptedOutException(CUSTOMER)),
        Arguments.of("unknown provider", new SmsConfigurationException("no provider named 'smpp'")),
        Arguments.of("never left", new SmsTransportException("closed before sent", "smpp", null, false, null)));
  }

  private String replyTarget() {
    world.clock.advance(Duration.ofSeconds(5));
    service.handle(world.inbound(CUSTOMER, SALES_1, "Who is this?"));
    return world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow().target().key();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanentFailures")
  @DisplayName("a send that certainly failed withdraws the record: the reply goes to the number's queue, no whisper")
  void withdrawn(String what, RuntimeException failure) {
    world.sender.failWith = failure;
    assertThatThrownBy(() -> service.startOutbound("alice", "+14155550199", "+14155550123", "Your order", null)
        .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(world.originators.find(CUSTOMER, SALES_1)).isEmpty();
    assertThat(replyTarget()).isEqualTo("agent:carol");
    assertThat(world.events.events).noneMatch(e -> e.contains("whisper=Your order"));
  }

  @Test
  @DisplayName("the record it replaced comes back: the reply goes to the agent whose message did leave")
  void previousRestored() throws Exception {
    String bobs = service.startOutbound("bob", "+14155550199", "+14155550123", "From Bob", null)
        .get(5, TimeUnit.SECONDS).conversationId();
    service.end(bobs, Conversation.EndReason.AGENT);
    world.sender.failWith = new SmsRejectedException("filtered", "smpp", "0x45");
    assertThatThrownBy(() -> service.startOutbound("alice", "+14155550199", "+14155550123", "From Alice", null)
        .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(world.originators.find(CUSTOMER, SALES_1)).hasValueSatisfying(r ->
        assertThat(r.agentId()).isEqualTo("bob"));
    assertThat(replyTarget()).isEqualTo("agent:bob");
  }

  @Test
  @DisplayName("a send whose outcome is unknown keeps its record: the reply reaches the agent")
  void unknownOutcomeKeeps() {
    world.sender.failWith = new SmsTransportException("timed out waiting for submit_sm_resp", "smpp", null, true, null);
    assertThatThrownBy(() -> service.startOutbound("alice", "+14155550199", "+14155550123", "Your order", null)
        .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(replyTarget()).isEqualTo(new RouteTarget.Agent("alice").key());
    assertThat(world.events.events).contains("assigned alice whisper=Your order");
  }

  @Test
  @DisplayName("no sender bound: the call fails and writes no record")
  void noSender() {
    ConversationService unbound = ConversationService.builder().configuration(TestWorld.configuration())
        .originatorStore(world.originators).optOutStore(world.optOuts).conversationStore(world.conversations)
        .clock(world.clock).contactFlowDelivery(TestWorld.NO_FLOWS).automaticSweeps(false).build();
    assertThatThrownBy(() -> unbound.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null)
        .get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(SmsConfigurationException.class);
    assertThat(world.originators.find(CUSTOMER, SALES_1)).isEmpty();
  }
}
