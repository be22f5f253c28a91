package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.ForwardingConversationStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The store calls of a reply into an open conversation on the routing engine's full path ({@code routeDetailed}, what
 * {@link ConversationService} uses) and on {@code route}'s lean path through the store's default
 * {@link ConversationStore#joinOpen}: the touch and the line are one {@link ConversationStore#updateAndAppend} call,
 * not an update and an append; when another writer moves the conversation in between, the line is still stored once.
 */
class ReplyStoreWritesTest {

  private final TestWorld world = new TestWorld();
  private final CountingStore store = new CountingStore(world.conversations);
  private RoutingEngine engine;
  private Conversation open;

  @BeforeEach
  void setUp() {
    engine = RoutingEngine.builder().configuration(TestWorld.configuration()).originatorStore(world.originators)
        .optOutStore(world.optOuts).conversationStore(store).clock(world.clock)
        .agentDirectory(id -> Presence.AVAILABLE).build();
    RouteDecision.ToQueue first = (RouteDecision.ToQueue) engine.routeDetailed(
        world.inbound(CUSTOMER, SALES_1, "Hello")).decision();
    open = world.conversations.find(first.conversationId()).orElseThrow();
    world.clock.advance(Duration.ofSeconds(30));
    store.calls.clear();
  }

  /** {@code d} joined the open conversation with one updateAndAppend (no update, no append): touched, line last. */
  private void assertJoinedInOneWrite(RouteDecision d) {
    assertThat(d).isEqualTo(new RouteDecision.ToQueue("sales", open.id(), RoutingEngine.JOINED));
    assertThat(store.count("updateAndAppend")).isEqualTo(1);
    assertThat(store.count("update")).isZero();
    assertThat(store.count("append")).isZero();
    assertThat(world.conversations.find(open.id())).contains(open.touched(world.clock.instant()));
    assertThat(texts()).containsExactly("Hello", "Anyone there?");
  }

  private List<String> texts() {
    return world.conversations.transcript(open.id()).stream().map(TranscriptEntry::text).toList();
  }

  @Test
  @DisplayName("a reply into an open conversation: one updateAndAppend, no update or append; touched, line last")
  void oneWrite() {
    RouteDecision d = engine.routeDetailed(world.inbound(CUSTOMER, SALES_1, "Anyone there?")).decision();
    assertJoinedInOneWrite(d);
  }

  @Test
  @DisplayName("a custom keyword inside an open conversation is recorded with the same one write")
  void keywordOneWrite() {
    RouteDecision d = engine.routeDetailed(world.inbound(CUSTOMER, SALES_1, "HOURS")).decision();
    assertThat(d).isInstanceOf(RouteDecision.AutoReply.class);
    assertThat(store.count("updateAndAppend")).isEqualTo(1);
    assertThat(store.count("update")).isZero();
    assertThat(store.count("append")).isZero();
    assertThat(texts()).containsExactly("Hello", "HOURS");
  }

  @Test
  @DisplayName("the version moved between the look-up and the write: the write is retried on the re-read"
      + " conversation, and the line is stored once")
  void versionMoved() {
    Conversation moved = open.touched(world.clock.instant().plusSeconds(10));
    store.beforeWrite = () -> {
      store.beforeWrite = () -> {};
      assertThat(world.conversations.update(moved)).isTrue(); // another instance's write
    };
    RouteDecision d = engine.routeDetailed(world.inbound(CUSTOMER, SALES_1, "Anyone there?")).decision();
    assertThat(d).isEqualTo(new RouteDecision.ToQueue("sales", open.id(), RoutingEngine.JOINED));
    assertThat(store.count("updateAndAppend")).isEqualTo(2);
    assertThat(store.count("update")).isZero();
    assertThat(store.count("append")).isZero();
    assertThat(world.conversations.find(open.id())).contains(moved.touched(moved.lastActivityAt()));
    assertThat(texts()).containsExactly("Hello", "Anyone there?");
  }

  @Test
  @DisplayName("the touch keeps losing to other writers: after 8 attempts the line is appended once to the"
      + " conversation last found")
  void keepsLosing() {
    AtomicInteger others = new AtomicInteger();
    store.beforeWrite = () -> {
      Conversation current = world.conversations.find(open.id()).orElseThrow();
      assertThat(world.conversations.update(current.touched(world.clock.instant()))).isTrue();
      others.incrementAndGet();
    };
    engine.routeDetailed(world.inbound(CUSTOMER, SALES_1, "Anyone there?"));
    assertThat(store.count("updateAndAppend")).isEqualTo(8);
    assertThat(store.count("update")).isZero();
    assertThat(store.count("append")).isEqualTo(1);
    assertThat(world.conversations.find(open.id()).orElseThrow().version()).isEqualTo(open.version() + 8);
    assertThat(others.get()).isEqualTo(8);
    assertThat(texts()).containsExactly("Hello", "Anyone there?");
  }

  @Test
  @DisplayName("the conversation ended between the look-up and the write: no touch, the line is appended once to it")
  void endedInBetween() {
    Conversation ended = open.ended(Conversation.EndReason.AGENT, world.clock.instant());
    store.beforeWrite = () -> {
      store.beforeWrite = () -> {};
      assertThat(world.conversations.update(ended)).isTrue();
    };
    engine.routeDetailed(world.inbound(CUSTOMER, SALES_1, "Anyone there?"));
    assertThat(store.count("updateAndAppend")).isEqualTo(1);
    assertThat(store.count("append")).isEqualTo(1);
    assertThat(world.conversations.find(open.id())).contains(ended);
    assertThat(texts()).containsExactly("Hello", "Anyone there?");
  }

  @Test
  @DisplayName("route (the lean path), with a store on ConversationStore's default joinOpen: one updateAndAppend")
  void leanPathOneWrite() {
    RouteDecision d = engine.route(world.inbound(CUSTOMER, SALES_1, "Anyone there?"));
    assertJoinedInOneWrite(d);
  }

  @Test
  @DisplayName("route, default joinOpen, the touch keeps losing: 8 attempts, then the line appended once")
  void leanPathKeepsLosing() {
    store.beforeWrite = () -> {
      Conversation current = world.conversations.find(open.id()).orElseThrow();
      assertThat(world.conversations.update(current.touched(world.clock.instant()))).isTrue();
    };
    RouteDecision d = engine.route(world.inbound(CUSTOMER, SALES_1, "Anyone there?"));
    assertThat(d).isEqualTo(new RouteDecision.ToQueue("sales", open.id(), RoutingEngine.JOINED));
    assertThat(store.count("updateAndAppend")).isEqualTo(8);
    assertThat(store.count("update")).isZero();
    assertThat(store.count("append")).isEqualTo(1);
    assertThat(world.conversations.find(open.id()).orElseThrow().version()).isEqualTo(open.version() + 8);
    assertThat(texts()).containsExactly("Hello", "Anyone there?");
  }

  /**
   * Forwards to an in-memory store and counts the writes by name; {@link #beforeWrite} runs before each
   * {@code update} and {@code updateAndAppend} is forwarded (a test's competing writer). It keeps the interface's
   * default {@code joinOpen}, which the in-memory store overrides.
   */
  static final class CountingStore extends ForwardingConversationStore {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile Runnable beforeWrite = () -> {};

    CountingStore(InMemoryConversationStore delegate) {
      super(delegate);
    }

    int count(String method) {
      AtomicInteger n = calls.get(method);
      return n == null ? 0 : n.get();
    }

    private void count(String method, boolean write) {
      calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
      if (write) {
        beforeWrite.run();
      }
    }

    @Override
    public Conversation openIfAbsent(Conversation candidate) {
      count("openIfAbsent", false);
      return delegate.openIfAbsent(candidate);
    }

    @Override
    public boolean update(Conversation updated) {
      count("update", true);
      return delegate.update(updated);
    }

    @Override
    public boolean updateAndAppend(Conversation updated, TranscriptEntry line) {
      count("updateAndAppend", true);
      return delegate.updateAndAppend(updated, line);
    }

    @Override
    public void append(TranscriptEntry entry) {
      count("append", false);
      delegate.append(entry);
    }

  }
}
