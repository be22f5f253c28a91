package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.ConversationRouter;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link ConversationRouter} must show. The kit describes a small world in a {@link Setup}
 * (a clock, in-memory stores, one business number whose target is a skill queue, an originator TTL); the subclass
 * builds its router on exactly that world:
 *
 * <pre>{@code
 * class RoutingEngineCompatibilityTest extends ConversationRouterCompatibilityKit {
 *   protected ConversationRouter createRouter(Setup setup) {
 *     return RoutingEngine.builder()
 *         .clock(setup.clock())
 *         .originatorStore(setup.originatorStore()).optOutStore(setup.optOutStore())
 *         .conversationStore(setup.conversationStore())
 *         .mapping(Mapping.of("main", setup.businessNumber(), new RouteTarget.Queue(setup.queueCode())))
 *         .originatorTtl(setup.originatorTtl())
 *         .build();
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class ConversationRouterCompatibilityKit {

  /**
   * The world a router under test is built on. Immutable; the stores and clock it holds are thread-safe.
   *
   * @param clock the test clock; the router must read time only from it
   * @param originatorStore where the kit writes originator records
   * @param optOutStore where STOP must be recorded
   * @param conversationStore where conversations live
   * @param businessNumber the one business number the router knows; inbound to any other number is unrouted
   * @param queueCode the skill queue that is the business number's target
   * @param originatorTtl how long an originator record routes replies
   */
  public record Setup(MutableClock clock, OriginatorStore originatorStore, OptOutStore optOutStore,
      ConversationStore conversationStore, Originator businessNumber, String queueCode, Duration originatorTtl) {}

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  protected static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  protected static final Originator UNKNOWN_BUSINESS = Originator.longCode(PhoneNumber.of("+14155550142"));
  protected static final String QUEUE = "sales";
  protected static final Duration TTL = Duration.ofMinutes(30);

  /** The world, fresh for each test. */
  protected Setup setup;
  /** The router under test. */
  protected ConversationRouter router;
  private final AtomicLong ids = new AtomicLong();

  /** A router built on {@code setup}. */
  protected abstract ConversationRouter createRouter(Setup setup) throws Exception;

  /** The stores the world uses; in memory by default. */
  protected Setup createSetup(MutableClock clock) {
    return new Setup(clock, new InMemoryOriginatorStore(clock), new InMemoryOptOutStore(),
        new InMemoryConversationStore(), BUSINESS, QUEUE, TTL);
  }

  @BeforeEach
  void createRouterUnderTest() throws Exception {
    setup = createSetup(MutableClock.at("2026-01-01T12:00:00Z"));
    router = createRouter(setup);
  }

  /** An inbound message from {@code from} to {@code to}, received now. */
  protected InboundSms inbound(PhoneNumber from, Originator to, String text) {
    return InboundSms.builder().provider("kit").providerMessageId("mo-" + ids.incrementAndGet()).from(from).to(to)
        .body(text).receivedAt(setup.clock().instant()).build();
  }

  /** Agent {@code agentId} texted {@link #CUSTOMER} from the business number now; only the record is written. */
  protected OriginatorRecord originated(String agentId, String text) {
    OriginatorRecord r = OriginatorRecord.of(CUSTOMER, setup.businessNumber(), agentId, text, "out-" + agentId,
        setup.clock().instant(), setup.originatorTtl());
    setup.originatorStore().put(r);
    return r;
  }

  private RouteDecision route(InboundSms sms) {
    RouteDecision d = router.route(sms);
    assertThat(d).as("decision").isNotNull();
    assertThat(d.reason()).as("reason").isNotBlank().doesNotContain(sms.from().e164());
    if (!sms.body().isBlank() && sms.body().length() > 6) {
      assertThat(d.reason()).as("reason must not quote the text").doesNotContain(sms.body());
    }
    return d;
  }

  @Nested
  @DisplayName("basics")
  class Basics {

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", " ", "hello", "STOPP", "🙂🙂", "\u0000\u0001", "Ｓｔｏｐ please call me back"})
    @DisplayName("never returns null, and never throws, for odd text")
    void neverNull(String text) {
      route(inbound(CUSTOMER, setup.businessNumber(), text));
    }

    @Test
    @DisplayName("a message to a business number the router does not know is Unrouted")
    void unknownBusinessNumber() {
      assertThat(route(inbound(CUSTOMER, UNKNOWN_BUSINESS, "hello"))).isInstanceOf(RouteDecision.Unrouted.class);
    }

    @Test
    @DisplayName("with no record and no conversation, a message goes to the business number's queue")
    void defaultQueue() {
      RouteDecision d = route(inbound(CUSTOMER, setup.businessNumber(), "Do you open on Sunday?"));
      assertThat(d).isInstanceOfSatisfying(RouteDecision.ToQueue.class,
          q -> assertThat(q.queueCode()).isEqualTo(setup.queueCode()));
    }
  }

  @Nested
  @DisplayName("opt-out")
  class OptOut {

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"STOP", "stop", " Stop "})
    @DisplayName("STOP is an OPT_OUT auto-reply, recorded in the opt-out store, never routed to an agent")
    void stop(String text) {
      originated("alice", "Your table is ready");
      RouteDecision d = route(inbound(CUSTOMER, setup.businessNumber(), text));
      assertThat(d).isInstanceOfSatisfying(RouteDecision.AutoReply.class,
          a -> assertThat(a.kind()).isEqualTo(RouteDecision.AutoReply.Kind.OPT_OUT));
      assertThat(setup.optOutStore().isOptedOut(CUSTOMER)).isTrue();
    }
  }

  @Nested
  @DisplayName("originator records")
  class Originators {

    @Test
    @DisplayName("a reply within the TTL goes to the originating agent, with the outbound text as whisper")
    void withinTtl() {
      originated("alice", "Your table is ready");
      setup.clock().advance(setup.originatorTtl().minusMillis(1));
      RouteDecision d = route(inbound(CUSTOMER, setup.businessNumber(), "On my way"));
      assertThat(d).isInstanceOfSatisfying(RouteDecision.ToAgent.class, a -> {
        assertThat(a.agentId()).isEqualTo("alice");
        assertThat(a.whisper()).isEqualTo("Your table is ready");
      });
    }

    @Test
    @DisplayName("the last agent to text the customer gets the reply")
    void lastAgentWins() {
      originated("alice", "Hi from Alice");
      setup.clock().advance(Duration.ofMinutes(1));
      originated("bob", "Hi from Bob");
      RouteDecision d = route(inbound(CUSTOMER, setup.businessNumber(), "Thanks"));
      assertThat(d).isInstanceOfSatisfying(RouteDecision.ToAgent.class,
          a -> assertThat(a.agentId()).isEqualTo("bob"));
    }

    @Test
    @DisplayName("a reply at exactly the TTL goes to the business number's queue")
    void atTtl() {
      originated("alice", "Your table is ready");
      setup.clock().advance(setup.originatorTtl());
      RouteDecision d = route(inbound(CUSTOMER, setup.businessNumber(), "On my way"));
      assertThat(d).isInstanceOfSatisfying(RouteDecision.ToQueue.class,
          q -> assertThat(q.queueCode()).isEqualTo(setup.queueCode()));
    }

    @Test
    @DisplayName("a reply after the TTL goes to the business number's queue")
    void afterTtl() {
      originated("alice", "Your table is ready");
      setup.clock().advance(setup.originatorTtl().plusMillis(1));
      RouteDecision d = route(inbound(CUSTOMER, setup.businessNumber(), "On my way"));
      assertThat(d).isInstanceOf(RouteDecision.ToQueue.class);
    }

    @Test
    @DisplayName("a record for another business number does not route this one's replies")
    void otherBusinessNumber() {
      setup.originatorStore().put(OriginatorRecord.of(CUSTOMER, UNKNOWN_BUSINESS, "alice", "x", null,
          setup.clock().instant(), setup.originatorTtl()));
      RouteDecision d = route(inbound(CUSTOMER, setup.businessNumber(), "hello"));
      assertThat(d).isInstanceOf(RouteDecision.ToQueue.class);
    }
  }
}
