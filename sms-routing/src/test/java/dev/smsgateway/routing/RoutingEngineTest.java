package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.FLOW;
import static dev.smsgateway.routing.TestWorld.FLOW_ID;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static dev.smsgateway.routing.TestWorld.SALES_2;
import static dev.smsgateway.routing.TestWorld.TTL;
import static dev.smsgateway.routing.TestWorld.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.InboundSms;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteDecision.AutoReply.Kind;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class RoutingEngineTest {

  private TestWorld world;
  private final Map<String, Presence> presence = new java.util.concurrent.ConcurrentHashMap<>();
  private RoutingEngine engine;
  private ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void setUp() {
    world = new TestWorld();
    engine = world.engine(id -> presence.getOrDefault(id, Presence.AVAILABLE));
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(RoutingEngine.class)).addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(RoutingEngine.class)).detachAppender(logs);
  }

  private RouteDecision route(InboundSms sms) {
    RouteDecision d = engine.route(sms);
    assertThat(d).isNotNull();
    assertThat(d.reason()).isNotBlank().doesNotContain(sms.from().e164()).doesNotContain(sms.to().address());
    ILoggingEvent last = logs.list.get(logs.list.size() - 1);
    assertThat(last.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
    assertThat(last.getFormattedMessage())
        .contains(sms.from().masked(), d.reason(), d.getClass().getSimpleName())
        .doesNotContain(sms.from().e164());
    if (sms.body().length() > 4 && !(d instanceof RouteDecision.AutoReply)) {
      assertThat(last.getFormattedMessage()).doesNotContain(sms.body());
    }
    return d;
  }

  private OriginatorRecord originate(String agent, dev.smsgateway.Originator business, String text) {
    OriginatorRecord r = OriginatorRecord.of(CUSTOMER, business, agent, text, "out-1", world.clock.instant(), TTL);
    world.originators.put(r);
    return r;
  }

  @Nested
  @DisplayName("step 1: opt-out, opt-in, help")
  class Keywords {

    @Test
    @DisplayName("STOP wins over an open conversation and a live record; it is stored before the decision returns")
    void stopFirst() {
      originate("alice", SALES_1, "Your table is ready");
      assertThat(route(world.inbound(CUSTOMER, SALES_1, "Thanks"))).isInstanceOf(RouteDecision.ToAgent.class);
      RouteDecision d = route(world.inbound(CUSTOMER, SALES_1, " Stop. "));
      assertThat(d).isInstanceOfSatisfying(RouteDecision.AutoReply.class, a -> {
        assertThat(a.kind()).isEqualTo(Kind.OPT_OUT);
        assertThat(a.keyword()).isEqualTo("STOP");
        assertThat(a.reply()).isEqualTo("Acme: you are opted out");
      });
      assertThat(world.optOuts.find(CUSTOMER)).hasValueSatisfying(r -> {
        assertThat(r.optedOut()).isTrue();
        assertThat(r.keyword()).isEqualTo("STOP");
        assertThat(r.source()).isEqualTo(SALES_1.key());
      });
    }

    @Test
    @DisplayName("a provider that answers keywords itself gets no reply from us, but the opt-out is still stored")
    void providerAnswers() {
      RouteDecision d = route(world.inbound("twilio-main", CUSTOMER, SALES_1, "STOPALL"));
      assertThat(d).isInstanceOfSatisfying(RouteDecision.AutoReply.class, a -> {
        assertThat(a.kind()).isEqualTo(Kind.OPT_OUT);
        assertThat(a.reply()).isNull();
        assertThat(a.reason()).contains("answers keywords itself");
      });
      assertThat(world.optOuts.isOptedOut(CUSTOMER)).isTrue();
    }

    @Test
    @DisplayName("STOP to a number no mapping holds is still recorded: opt-out is global")
    void stopToUnknownNumber() {
      assertThat(route(world.inbound(CUSTOMER, UNKNOWN, "unsubscribe"))).isInstanceOf(RouteDecision.AutoReply.class);
      assertThat(world.optOuts.isOptedOut(CUSTOMER)).isTrue();
    }

    @Test
    @DisplayName("START opts back in; YES does only for an opted-out customer, otherwise it is routed")
    void optIn() {
      assertThat(route(world.inbound(CUSTOMER, SALES_1, "yes"))).isInstanceOf(RouteDecision.ToQueue.class);
      route(world.inbound(CUSTOMER, SALES_1, "STOP"));
      world.clock.advance(Duration.ofSeconds(1));
      assertThat(route(world.inbound(CUSTOMER, SALES_1, "Yes!"))).isInstanceOfSatisfying(RouteDecision.AutoReply.class,
          a -> assertThat(a.kind()).isEqualTo(Kind.OPT_IN));
      assertThat(world.optOuts.isOptedOut(CUSTOMER)).isFalse();
      route(world.inbound(CUSTOMER, SALES_1, "STOP"));
      world.clock.advance(Duration.ofSeconds(1));
      assertThat(route(world.inbound(CUSTOMER, SALES_1, "start"))).isInstanceOfSatisfying(
          RouteDecision.AutoReply.class, a -> assertThat(a.reply()).isEqualTo("Acme: welcome back"));
      assertThat(world.optOuts.isOptedOut(CUSTOMER)).isFalse();
    }

    @Test
    @DisplayName("HELP gets the mapping's help text")
    void help() {
      assertThat(route(world.inbound(CUSTOMER, SALES_2, "help?"))).isInstanceOfSatisfying(RouteDecision.AutoReply.class,
          a -> {
            assertThat(a.kind()).isEqualTo(Kind.HELP);
            assertThat(a.reply()).isEqualTo("Acme help");
          });
      assertThat(world.optOuts.find(CUSTOMER)).isEmpty();
    }
  }

  @Test
  @DisplayName("step 2: a number's keyword first, then the mapping's; another number does not have the first's")
  void customKeywords() {
    assertThat(route(world.inbound(CUSTOMER, SALES_1, "price"))).isInstanceOfSatisfying(RouteDecision.AutoReply.class,
        a -> {
          assertThat(a.kind()).isEqualTo(Kind.KEYWORD);
          assertThat(a.reply()).isEqualTo("Prices at acme.example");
        });
    assertThat(route(world.inbound(CUSTOMER, SALES_2, "Hours?"))).isInstanceOfSatisfying(RouteDecision.AutoReply.class,
        a -> assertThat(a.reply()).isEqualTo("Open 9-5"));
    assertThat(route(world.inbound(CUSTOMER, SALES_2, "PRICE"))).isInstanceOf(RouteDecision.ToQueue.class);
  }

  @Test
  @DisplayName("step 3: an open conversation keeps its target and its transcript keeps the order")
  void openConversation() {
    RouteDecision first = route(world.inbound(CUSTOMER, SALES_1, "Hello"));
    assertThat(first).isInstanceOf(RouteDecision.ToQueue.class);
    String id = ((RouteDecision.ToQueue) first).conversationId();
    world.clock.advance(Duration.ofSeconds(5));
    // A record written after the conversation opened does not take it away (step 3 comes before step 4).
    originate("alice", SALES_1, "late");
    RouteDecision second = route(world.inbound(CUSTOMER, SALES_1, "Anyone there?"));
    assertThat(second).isInstanceOfSatisfying(RouteDecision.ToQueue.class, q -> {
      assertThat(q.conversationId()).isEqualTo(id);
      assertThat(q.reason()).startsWith("open conversation");
    });
    // The reason is short; the log line names the target and the conversation.
    assertThat(logs.list.get(logs.list.size() - 1).getFormattedMessage())
        .contains("ToQueue " + ((RouteDecision.ToQueue) second).queueCode() + " in conversation " + id);
    assertThat(world.conversations.transcript(id)).extracting(TranscriptEntry::text)
        .containsExactly("Hello", "Anyone there?");
    assertThat(world.conversations.find(id).orElseThrow().lastActivityAt()).isEqualTo(world.clock.instant());
  }

  @Test
  @DisplayName("step 4: a live originator record routes to the agent, with the outbound text as whisper")
  void originatorRecord() {
    originate("alice", SALES_1, "Your table is ready");
    world.clock.advance(Duration.ofMinutes(29));
    RouteDecision d = route(world.inbound(CUSTOMER, SALES_1, "On my way"));
    assertThat(d).isInstanceOfSatisfying(RouteDecision.ToAgent.class, a -> {
      assertThat(a.agentId()).isEqualTo("alice");
      assertThat(a.whisper()).isEqualTo("Your table is ready");
      assertThat(a.reason()).isEqualTo("originator record within TTL (agent alice)");
    });
  }

  @Test
  @DisplayName("R4: the originating agent is offline: the reply goes to the number's queue")
  void r4OfflineAgent() {
    presence.put("alice", Presence.OFFLINE);
    originate("alice", SALES_1, "Your table is ready");
    RouteDecision d = route(world.inbound(CUSTOMER, SALES_1, "On my way"));
    assertThat(d).isInstanceOfSatisfying(RouteDecision.ToQueue.class, q -> {
      assertThat(q.queueCode()).isEqualTo("sales");
      assertThat(q.reason()).contains("agent alice is offline");
    });
  }

  @Test
  @DisplayName("R5: two agents text one customer from two business numbers: each reply reaches its own agent")
  void r5TwoNumbersTwoAgents() {
    originate("alice", SALES_1, "From Alice");
    originate("bob", SALES_2, "From Bob");
    assertThat(route(world.inbound(CUSTOMER, SALES_2, "Hi Bob"))).isInstanceOfSatisfying(RouteDecision.ToAgent.class,
        a -> assertThat(a).extracting(RouteDecision.ToAgent::agentId, RouteDecision.ToAgent::whisper)
            .containsExactly("bob", "From Bob"));
    assertThat(route(world.inbound(CUSTOMER, SALES_1, "Hi Alice"))).isInstanceOfSatisfying(RouteDecision.ToAgent.class,
        a -> assertThat(a).extracting(RouteDecision.ToAgent::agentId, RouteDecision.ToAgent::whisper)
            .containsExactly("alice", "From Alice"));
    assertThat(route(world.inbound(CUSTOMER, SALES_2, "Thanks Bob"))).isInstanceOfSatisfying(
        RouteDecision.ToAgent.class, a -> assertThat(a.agentId()).isEqualTo("bob"));
  }

  /**
   * R2 of docs/reliability.md. A record created at T with TTL d lives while {@code now < T + d}: a reply at T + d -
   * 1 ms
   * goes to the agent; at exactly T + d and at T + d + 1 ms it has expired and the reply goes to the queue.
   */
  @ParameterizedTest(name = "[{index}] reply at TTL{0} ms -> {1}")
  @CsvSource({"-1, agent", "0, queue", "+1, queue"})
  @DisplayName("R2: a reply at TTL-1ms goes to the agent; at TTL and TTL+1ms to the queue (virtual clock)")
  void r2TtlBoundary(long offsetMillis, String expected) {
    originate("alice", SALES_1, "Your table is ready");
    world.clock.advance(TTL.plusMillis(offsetMillis));
    RouteDecision d = route(world.inbound(CUSTOMER, SALES_1, "On my way"));
    assertThat(d).isInstanceOf(expected.equals("agent") ? RouteDecision.ToAgent.class : RouteDecision.ToQueue.class);
  }

  @Test
  @DisplayName("contact-flow mappings: the flow, with the originating agent and text in the attributes")
  void contactFlow() {
    OriginatorRecord r = OriginatorRecord.of(CUSTOMER, FLOW, "alice", "Your order shipped", null,
        world.clock.instant(), TTL);
    world.originators.put(r);
    RouteDecision d = route(world.inbound(CUSTOMER, FLOW, "Where is it?"));
    assertThat(d).isInstanceOfSatisfying(RouteDecision.ToContactFlow.class, f -> {
      assertThat(f.contactFlowId()).isEqualTo(FLOW_ID);
      assertThat(f.attributes()).containsEntry(RoutingEngine.ATTR_CUSTOMER_NUMBER, CUSTOMER.e164())
          .containsEntry(RoutingEngine.ATTR_BUSINESS_NUMBER, FLOW.address())
          .containsEntry(RoutingEngine.ATTR_BUSINESS_NAME, "Acme Flow")
          .containsEntry(RoutingEngine.ATTR_ORIGINATING_AGENT, "alice")
          .containsEntry(RoutingEngine.ATTR_ORIGINAL_TEXT, "Your order shipped")
          .containsEntry(RoutingEngine.ATTR_CONVERSATION_ID, f.conversationId());
    });
  }

  @Test
  @DisplayName("step 5: no conversation or record: the number's queue or flow, a conversation opened with that target,"
      + " the reason naming it; two customers' openings each get their own conversation")
  void numberTarget() {
    RouteDecision q = route(world.inbound(CUSTOMER, SALES_1, "Hello"));
    RouteDecision q2 = route(world.inbound(TestWorld.CUSTOMER_2, SALES_1, "Hello too"));
    assertThat(q).isInstanceOfSatisfying(RouteDecision.ToQueue.class, t -> {
      assertThat(t.queueCode()).isEqualTo("sales");
      assertThat(t.reason()).isEqualTo("no open conversation or originator record; number's queue sales");
      assertThat(world.conversations.find(t.conversationId()).orElseThrow().target())
          .isEqualTo(new dev.smsgateway.route.RouteTarget.Queue("sales"));
    });
    assertThat(((RouteDecision.ToQueue) q2).conversationId()).isNotEqualTo(((RouteDecision.ToQueue) q).conversationId());
    RouteDecision f = route(world.inbound(CUSTOMER, FLOW, "Hello flow"));
    assertThat(f).isInstanceOfSatisfying(RouteDecision.ToContactFlow.class, t -> {
      assertThat(t.contactFlowId()).isEqualTo(FLOW_ID);
      assertThat(t.reason()).isEqualTo("no open conversation or originator record; number's contact flow " + FLOW_ID);
    });
  }

  @Test
  @DisplayName("step 6: a number no mapping holds is Unrouted, logged, and nothing is opened")
  void unrouted() {
    assertThat(route(world.inbound(CUSTOMER, UNKNOWN, "hello"))).isInstanceOf(RouteDecision.Unrouted.class);
    assertThat(world.conversations.findOpen(CUSTOMER, UNKNOWN)).isEmpty();
  }

  @Test
  @DisplayName("odd text never throws; a null message fails fast")
  void oddInput() {
    for (String text : List.of("", " ", "\u0000", "🛑".repeat(500), "S".repeat(2000), "\uD800", "STOP\u0000")) {
      route(world.inbound(TestWorld.CUSTOMER_2, SALES_1, text));
    }
    assertThatThrownBy(() -> engine.route(null)).isInstanceOf(NullPointerException.class).hasMessage("sms == null");
  }

  @Test
  @DisplayName("two first messages racing open one conversation")
  void racingFirstMessages() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 50; round++) {
        dev.smsgateway.PhoneNumber customer = dev.smsgateway.PhoneNumber.of("+1415555" + (2000 + round));
        CountDownLatch start = new CountDownLatch(1);
        Future<RouteDecision> a = pool.submit(() -> {
          start.await();
          return engine.route(world.inbound(customer, SALES_1, "a"));
        });
        Future<RouteDecision> b = pool.submit(() -> {
          start.await();
          return engine.route(world.inbound(customer, SALES_1, "b"));
        });
        start.countDown();
        String idA = ((RouteDecision.ToQueue) a.get(10, TimeUnit.SECONDS)).conversationId();
        String idB = ((RouteDecision.ToQueue) b.get(10, TimeUnit.SECONDS)).conversationId();
        assertThat(idA).isEqualTo(idB);
        assertThat(world.conversations.transcript(idA)).hasSize(2);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
