package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.InboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryAgentStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link ConversationListener#onReleased} on one instance without an events bus: called when an open conversation
 * leaves its agent (released, not accepted in time, agent offline), before the event that says where it went.
 */
class ReleasedEventsTest {

  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155551001");
  private static final PhoneNumber OTHER_CUSTOMER = PhoneNumber.of("+14155551002");

  private final MutableClock clock = MutableClock.at("2026-01-01T09:00:00Z");
  private final AtomicLong ids = new AtomicLong();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final InMemoryConversationStore conversations = new InMemoryConversationStore();
  private ConversationService service;

  @BeforeEach
  void start() {
    service = ConversationService.builder().configuration(SharedAgentsScenario.routing())
        .originatorStore(new InMemoryOriginatorStore(clock)).optOutStore(new InMemoryOptOutStore())
        .conversationStore(conversations).agentStore(new InMemoryAgentStore()).clock(clock)
        .automaticSweeps(false)
        .sender(sms -> CompletableFuture.completedFuture(new SendReceipt("msg-" + ids.incrementAndGet(), "smpp",
            List.of("smsc"), 1, clock.instant(), Map.of())))
        .listener(new ConversationListener() {
          @Override
          public void onAssigned(Conversation c, String agentId, String whisper) {
            heard.add("assigned " + agentId + " " + c.id());
          }

          @Override
          public void onQueued(Conversation c, int position, int depth) {
            heard.add("queued " + c.id());
          }

          @Override
          public void onReleased(Conversation c, String agentId) {
            heard.add("released " + agentId + " " + c.id() + " now " + c.target().key());
          }
        }).build();
    for (String agent : List.of("alice", "bob")) {
      service.registerAgent(agent, 2, Set.of("sales"));
      service.setPresence(agent, Presence.AVAILABLE);
    }
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private String outbound(String agent, PhoneNumber customer) throws Exception {
    return service.startOutbound(agent, SharedAgentsScenario.BUSINESS.address(), customer.e164(), "Hello", null)
        .get(10, TimeUnit.SECONDS).conversationId();
  }

  private void customerWrites(PhoneNumber customer, String text) {
    service.handle(InboundSms.builder().provider("smpp").providerMessageId("mo-" + ids.incrementAndGet())
        .from(customer).to(SharedAgentsScenario.BUSINESS).body(text).receivedAt(clock.instant()).build());
  }

  private static String queue() {
    return new RouteTarget.Queue("sales").key();
  }

  @Test
  @DisplayName("released by the agent: onReleased, then the next agent's onAssigned")
  void released() throws Exception {
    String id = outbound("alice", CUSTOMER);
    heard.clear();
    service.release("alice", id);
    assertThat(heard).containsExactly("released alice " + id + " now " + queue(), "assigned bob " + id);
  }

  @Test
  @DisplayName("not accepted in time: onReleased, then where it went (nobody else available: onQueued)")
  void notAccepted() throws Exception {
    service.setPresence("bob", Presence.AWAY);
    String ended = outbound("alice", CUSTOMER);
    service.end(ended, Conversation.EndReason.AGENT);
    customerWrites(CUSTOMER, "Hello?");
    String offered = conversations.findOpen(CUSTOMER, SharedAgentsScenario.BUSINESS).orElseThrow().id();
    assertThat(heard).contains("assigned alice " + offered);
    heard.clear();
    clock.advance(SharedAgentsScenario.ACCEPT);
    assertThat(service.sweep()).as("moved to the queue, then assigned from it").isEqualTo(2);
    // nobody else is available: it waits, then the same sweep's assignment of waiting conversations gives it to alice
    assertThat(heard).containsExactly("released alice " + offered + " now " + queue(), "queued " + offered,
        "assigned alice " + offered);
  }

  @Test
  @DisplayName("the agent went offline and the customer wrote: onReleased, then the next agent's onAssigned")
  void agentOffline() throws Exception {
    String id = outbound("alice", OTHER_CUSTOMER);
    service.setPresence("alice", Presence.OFFLINE);
    heard.clear();
    customerWrites(OTHER_CUSTOMER, "Anyone?");
    assertThat(heard).containsExactly("released alice " + id + " now " + queue(), "assigned bob " + id);
  }
}
