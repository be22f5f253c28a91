package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.ManualScheduler;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The issue's end-to-end scenario on real parts: SmsGateway + SmppSmsProvider (jsmpp) bound to the SmscSimulator on
 * 127.0.0.1, the ConversationService as the gateway's inbound handler, in-memory stores.
 */
class EndToEndSmppTest {

  static final String SALES = "+14155550199";
  static final String C1 = "+14155550123";
  static final String C2 = "+14155550124";
  static final String C3 = "+14155550125";

  private SmscSimulator smsc;
  private SmsGateway gateway;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  private static RoutingConfiguration configuration() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("US").delivery(Delivery.QUEUE)
            .originatorTtl(Duration.ofHours(1))
            .addNumber(n -> n.number(SALES).displayName("Acme Sales").queue("sales")))
        .build();
  }

  private ConversationListener recorder() {
    return new ConversationListener() {
      @Override
      public void onAssigned(Conversation c, String agentId, String whisper) {
        events.add("assigned " + c.customer().e164() + " " + agentId);
      }

      @Override
      public void onMessage(Conversation c, InboundSms sms) {
        events.add("message " + sms.body() + " -> " + c.target().key());
      }

      @Override
      public void onDeliveryReport(String conversationId, DeliveryReport report, DeliveryStatus merged) {
        events.add("dlr " + merged);
      }
    };
  }

  private SmppSmsProvider provider() {
    return SmppSmsProvider.builder().name("smpp").host(smsc.host()).port(smsc.port()).systemId("esme")
        .password("pw").responseTimeout(Duration.ofSeconds(2))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
  }

  private List<ReceivedSubmit> submitsTo(String number) {
    return smsc.accepted().stream().filter(s -> ("+" + s.destAddr()).equals(number) || s.destAddr().equals(number))
        .toList();
  }

  @Test
  @DisplayName("two agents text two customers from one number; each reply reaches its agent; an unknown customer is "
      + "queued and assigned; STOP blocks a later send")
  void issueScenario() throws Exception {
    smsc = SmscSimulator.builder().credentials("esme", "pw").autoDeliveryReceipts(true).build().start();
    Clock clock = Clock.systemUTC();
    InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
    InMemoryConversationStore store = new InMemoryConversationStore();
    ConversationService conversations = ConversationService.builder().configuration(configuration())
        .originatorStore(new InMemoryOriginatorStore(clock)).optOutStore(optOuts).conversationStore(store)
        .clock(clock).listener(recorder()).automaticSweeps(false).build();
    gateway = SmsGateway.builder().provider(provider()).defaultRegion("US").optOutStore(optOuts)
        .messageStore(new InMemoryMessageStore(clock)).inboundHandler(conversations)
        .listener(conversations.gatewayListener()).build();
    conversations.bind(gateway::send);
    gateway.start();
    assertThat(smsc.awaitBound(1, Duration.ofSeconds(10))).isTrue();

    conversations.registerAgent("alice", 5, Set.of());
    conversations.registerAgent("bob", 5, Set.of());
    conversations.registerAgent("carol", 5, Set.of("sales"));
    for (String agent : List.of("alice", "bob", "carol")) {
      conversations.setPresence(agent, Presence.AVAILABLE);
    }

    OutboundConversation a = conversations.startOutbound("alice", SALES, "(415) 555-0123", "Hi, Alice here", "a-1")
        .get(10, TimeUnit.SECONDS);
    OutboundConversation b = conversations.startOutbound("bob", SALES, "415-555-0124", "Hi, Bob here", "b-1")
        .get(10, TimeUnit.SECONDS);
    assertThat(smsc.awaitAccepted(2, Duration.ofSeconds(10))).isTrue();
    assertThat(submitsTo(C1)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Hi, Alice here"));
    assertThat(submitsTo(C2)).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Hi, Bob here"));
    Eventually.await("two delivery reports", Duration.ofSeconds(10),
        () -> events.stream().filter(e -> e.startsWith("dlr DELIVERED")).count() == 2);

    assertThat(smsc.deliverMo(C2, SALES, "Bob, see you at 5")).isZero();
    assertThat(smsc.deliverMo(C1, SALES, "Thanks Alice")).isZero();
    assertThat(events).contains("message Bob, see you at 5 -> agent:bob", "message Thanks Alice -> agent:alice");
    assertThat(conversations.transcript(a.conversationId())).extracting(TranscriptEntry::text)
        .containsExactly("Hi, Alice here", "Thanks Alice");
    assertThat(conversations.transcript(b.conversationId())).extracting(TranscriptEntry::text)
        .containsExactly("Hi, Bob here", "Bob, see you at 5");

    assertThat(smsc.deliverMo(C3, SALES, "Who is this?")).isZero();
    Conversation third = store.findOpen(PhoneNumber.of(C3), configuration().findNumber(SALES).orElseThrow().number())
        .orElseThrow();
    assertThat(third.target()).isEqualTo(new RouteTarget.Agent("carol"));
    assertThat(events).contains("assigned " + C3 + " carol", "message Who is this? -> agent:carol");
    Eventually.await("the agent-joined message to the unknown customer", Duration.ofSeconds(10),
        () -> submitsTo(C3).size() == 1);
    assertThat(submitsTo(C3).get(0).text()).isEqualTo(ChatControl.defaults().agentJoinedMessage());

    assertThat(smsc.deliverMo(C1, SALES, "STOP")).isZero();
    assertThat(optOuts.isOptedOut(PhoneNumber.of(C1))).isTrue();
    assertThat(events).doesNotContain("message STOP -> agent:alice");
    assertThat(store.find(a.conversationId()).orElseThrow().endReason()).isEqualTo(Conversation.EndReason.OPT_OUT);
    CompletableFuture<OutboundConversation> blocked = conversations.startOutbound("alice", SALES, C1, "One more", null);
    assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsOptedOutException.class);
    CompletableFuture<SendReceipt> direct = gateway.send(OutboundSms.builder().to(C1).from(SALES).body("x").build());
    assertThatThrownBy(() -> direct.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SmsOptedOutException.class);
    // The one confirmation (a keyword reply, exempt from the opt-out check) is all C1 got after the STOP.
    String confirmation = configuration().mapping("sales").orElseThrow().optOutReply();
    Eventually.await("the opt-out confirmation", Duration.ofSeconds(10), () -> submitsTo(C1).size() == 2);
    assertThat(submitsTo(C1)).extracting(ReceivedSubmit::text).containsExactly("Hi, Alice here", confirmation);
  }

  @Test
  @DisplayName("R6: STOP arrives while an agent's send waits for the throttle: the send never leaves, STOP is not a reply")
  void r6StopWhileQueued() throws Exception {
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
    MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    ManualScheduler scheduler = new ManualScheduler(clock);
    InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
    ConversationService conversations = ConversationService.builder().configuration(configuration())
        .originatorStore(new InMemoryOriginatorStore(clock)).optOutStore(optOuts)
        .conversationStore(new InMemoryConversationStore()).clock(clock).listener(recorder()).automaticSweeps(false)
        .build();
    gateway = SmsGateway.builder().provider(provider()).defaultRegion("US").optOutStore(optOuts).clock(clock)
        .scheduler(scheduler).throttle("smpp", 1.0).messageStore(new InMemoryMessageStore(clock))
        .inboundHandler(conversations).listener(conversations.gatewayListener()).build();
    conversations.bind(gateway::send);
    gateway.start();
    assertThat(smsc.awaitBound(1, Duration.ofSeconds(10))).isTrue();

    OutboundConversation a = conversations.startOutbound("alice", SALES, C1, "Your table is ready", null)
        .get(10, TimeUnit.SECONDS);
    CompletableFuture<SendReceipt> queued = conversations.send("alice", a.conversationId(), "Are you coming?");
    assertThat(queued).isNotDone();

    assertThat(smsc.deliverMo(C1, SALES, "STOP")).isZero();
    assertThat(optOuts.isOptedOut(PhoneNumber.of(C1))).isTrue();
    clock.advance(Duration.ofSeconds(5));
    scheduler.runDue();
    assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SmsOptedOutException.class);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(2));
      scheduler.runDue();
    }
    String confirmation = configuration().mapping("sales").orElseThrow().optOutReply();
    Eventually.await("the opt-out confirmation", Duration.ofSeconds(10), () -> submitsTo(C1).size() == 2);
    assertThat(submitsTo(C1)).extracting(ReceivedSubmit::text).containsExactly("Your table is ready", confirmation);
    assertThat(events).noneMatch(e -> e.startsWith("message"));
  }
}
