package dev.smsgateway.routing;

import static dev.smsgateway.routing.PendingOpensTest.awaitWaiting;
import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.CUSTOMER_2;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.ForwardingConversationStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An agent's conversation opening whose store write answers later (as the JDBC store does, in its next group commit)
 * holds no lock while the write is in flight: a customer reply to the pair waits, without the pair's lock, until the
 * conversation, its first line and its assignment are there, and then joins the agent's conversation (the assignment's
 * event before the reply's); replies for other pairs go on meanwhile; a second opening of the pair starts once the
 * first is complete and takes the conversation over; a failed opening lets the waiting replies go on. The store is the
 * in-memory one behind a decorator whose openIfAbsentAsync writes and answers when the test completes its gate.
 */
class PendingOpeningRoutingTest {

  private final TestWorld world = new TestWorld();
  private final HeldOpenings conversations = new HeldOpenings(world.conversations);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private ConversationService service;

  @BeforeEach
  void start() {
    service = world.service().conversationStore(conversations).build();
    for (String agent : List.of("alice", "bob")) {
      service.registerAgent(agent, 2, Set.of("sales"));
      service.setPresence(agent, Presence.AVAILABLE);
    }
  }

  @AfterEach
  void close() throws InterruptedException {
    service.close();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private CompletableFuture<OutboundConversation> startOutbound(String agent, String text) {
    return service.startOutbound(agent, "+14155550199", "+14155550123", text, null);
  }

  private ReentrantLock pairLock() {
    return service.router().lockFor(CUSTOMER, SALES_1);
  }

  /** Runs {@code task} on a pool thread, which {@code thread} names once it runs. */
  private <T> Future<T> onAnotherThread(AtomicReference<Thread> thread, java.util.concurrent.Callable<T> task) {
    return pool.submit(() -> {
      thread.set(Thread.currentThread());
      return task.call();
    });
  }

  @Test
  @DisplayName("a reply waits, without the pair's lock, for the opening in flight; then joins the agent's "
      + "conversation, the assignment's event first")
  void replyWaitsForTheOpening() throws Exception {
    CompletableFuture<OutboundConversation> started = startOutbound("alice", "Your order");
    assertThat(started).as("the opening's write is in flight").isNotDone();
    assertThat(conversations.openings).hasSize(1);
    assertThat(pairLock().isLocked()).as("no lock held for the write").isFalse();

    InboundSms reply = world.inbound(CUSTOMER, SALES_1, "Who is this?");
    AtomicReference<Thread> replier = new AtomicReference<>();
    Future<?> routed = onAnotherThread(replier, () -> {
      service.handle(reply);
      return null;
    });
    awaitWaiting(replier);
    assertThat(pairLock().isLocked()).as("the reply waits without the lock").isFalse();
    assertThat(world.events.events).as("nothing routed yet").isEmpty();
    assertThat(world.conversations.findOpen(CUSTOMER, SALES_1)).isEmpty();

    conversations.openings.get(0).gate.complete(null);
    routed.get(5, TimeUnit.SECONDS);
    OutboundConversation result = started.get(5, TimeUnit.SECONDS);

    Conversation c = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    assertThat(c.id()).isEqualTo(result.conversationId());
    assertThat(c.target()).isEqualTo(new RouteTarget.Agent("alice"));
    assertThat(world.conversations.transcript(c.id())).extracting(TranscriptEntry::direction, TranscriptEntry::text)
        .containsExactly(Tuple.tuple(TranscriptEntry.Direction.OUTBOUND, "Your order"),
            Tuple.tuple(TranscriptEntry.Direction.INBOUND, "Who is this?"));
    assertThat(world.events.events).containsExactly("assigned alice", "message Who is this? -> agent:alice");
    assertThat(service.router().opens().latest(CUSTOMER, SALES_1)).isNull();
  }

  @Test
  @DisplayName("RoutingEngine.route waits for the opening too, and routes to the agent's conversation")
  void routeDecisionWaits() throws Exception {
    CompletableFuture<OutboundConversation> started = startOutbound("alice", "Your order");
    InboundSms reply = world.inbound(CUSTOMER, SALES_1, "Who is this?");
    AtomicReference<Thread> replier = new AtomicReference<>();
    Future<RouteDecision> decided = onAnotherThread(replier, () -> service.router().route(reply));
    awaitWaiting(replier);
    assertThat(decided).isNotDone();

    conversations.openings.get(0).gate.complete(null);
    RouteDecision decision = decided.get(5, TimeUnit.SECONDS);
    OutboundConversation result = started.get(5, TimeUnit.SECONDS);

    assertThat(decision).isInstanceOfSatisfying(RouteDecision.ToAgent.class, d -> {
      assertThat(d.agentId()).isEqualTo("alice");
      assertThat(d.conversationId()).isEqualTo(result.conversationId());
    });
  }

  @Test
  @DisplayName("replies for other pairs, even one sharing the pair's lock stripe, are not held up by the opening")
  void otherPairsGoOn() throws Exception {
    PhoneNumber sameStripe = sameStripeCustomer();
    CompletableFuture<OutboundConversation> started = startOutbound("alice", "Your order");

    for (PhoneNumber other : List.of(sameStripe, CUSTOMER_2)) {
      InboundSms reply = world.inbound(other, SALES_1, "Hello");
      pool.submit(() -> service.handle(reply)).get(5, TimeUnit.SECONDS);
      assertThat(world.conversations.findOpen(other, SALES_1)).as("routed: " + other).isPresent();
    }
    assertThat(started).as("the opening is still in flight").isNotDone();

    conversations.openings.get(0).gate.complete(null);
    assertThat(started.get(5, TimeUnit.SECONDS).conversationId())
        .isEqualTo(world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow().id());
  }

  @Test
  @DisplayName("two agents start the same pair: the second opening starts after the first is complete and takes "
      + "the conversation over")
  void secondOpeningAfterTheFirst() throws Exception {
    CompletableFuture<OutboundConversation> alice = startOutbound("alice", "Your order");
    world.clock.advanceMillis(1000);
    CompletableFuture<OutboundConversation> bob = startOutbound("bob", "Bob here");

    assertThat(world.sender.bodies()).as("both messages sent").containsExactly("Your order", "Bob here");
    assertThat(conversations.openings).as("the second opening waits for the first").hasSize(1);
    assertThat(bob).isNotDone();

    conversations.openings.get(0).gate.complete(null);
    OutboundConversation first = alice.get(5, TimeUnit.SECONDS);
    assertThat(conversations.openings).as("the second opening started once the first was complete").hasSize(2);
    assertThat(bob).isNotDone();

    conversations.openings.get(1).gate.complete(null);
    OutboundConversation second = bob.get(5, TimeUnit.SECONDS);

    assertThat(second.conversationId()).isEqualTo(first.conversationId());
    Conversation c = world.conversations.find(first.conversationId()).orElseThrow();
    assertThat(c.target()).isEqualTo(new RouteTarget.Agent("bob"));
    assertThat(world.conversations.transcript(c.id())).extracting(TranscriptEntry::direction, TranscriptEntry::text)
        .containsExactly(Tuple.tuple(TranscriptEntry.Direction.OUTBOUND, "Your order"),
            Tuple.tuple(TranscriptEntry.Direction.SYSTEM, "Agent bob took over the conversation"),
            Tuple.tuple(TranscriptEntry.Direction.OUTBOUND, "Bob here"));
    assertThat(world.events.events).containsExactly("assigned alice", "assigned bob");
    assertThat(service.router().opens().latest(CUSTOMER, SALES_1)).isNull();
  }

  @Test
  @DisplayName("a failed opening write fails the start and lets the waiting reply go on: it opens its own conversation")
  void failedOpeningReleasesReplies() throws Exception {
    CompletableFuture<OutboundConversation> started = startOutbound("alice", "Your order");
    InboundSms reply = world.inbound(CUSTOMER, SALES_1, "Who is this?");
    AtomicReference<Thread> replier = new AtomicReference<>();
    Future<?> routed = onAnotherThread(replier, () -> {
      service.handle(reply);
      return null;
    });
    awaitWaiting(replier);

    Held opening = conversations.openings.get(0);
    opening.gate.completeExceptionally(new SmsTransportException("disk full", null, null, false, null));
    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsTransportException.class).hasMessageContaining("disk full");
    routed.get(5, TimeUnit.SECONDS);

    Conversation c = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    assertThat(c.id()).as("the reply's own conversation").isNotEqualTo(opening.candidate.id());
    assertThat(world.conversations.transcript(c.id())).extracting(TranscriptEntry::direction, TranscriptEntry::text)
        .contains(Tuple.tuple(TranscriptEntry.Direction.INBOUND, "Who is this?"))
        .doesNotContain(Tuple.tuple(TranscriptEntry.Direction.OUTBOUND, "Your order"));
    assertThat(world.events.events).contains("message Who is this? -> " + c.target().key());
    assertThat(service.router().opens().latest(CUSTOMER, SALES_1)).isNull();
    assertThat(pairLock().isLocked()).isFalse();
  }

  @Test
  @DisplayName("a reply waiting for a takeover in flight joins the conversation as the new agent's, after both "
      + "assignments")
  void replyWaitsForATakeover() throws Exception {
    CompletableFuture<OutboundConversation> bob = startOutbound("bob", "Bob here");
    conversations.openings.get(0).gate.complete(null);
    String id = bob.get(5, TimeUnit.SECONDS).conversationId();
    world.clock.advanceMillis(1000);

    CompletableFuture<OutboundConversation> alice = startOutbound("alice", "Alice here");
    assertThat(conversations.openings).hasSize(2);
    InboundSms reply = world.inbound(CUSTOMER, SALES_1, "Who is this?");
    AtomicReference<Thread> replier = new AtomicReference<>();
    Future<?> routed = onAnotherThread(replier, () -> {
      service.handle(reply);
      return null;
    });
    awaitWaiting(replier);
    assertThat(world.events.events).containsExactly("assigned bob");

    conversations.openings.get(1).gate.complete(null);
    routed.get(5, TimeUnit.SECONDS);
    assertThat(alice.get(5, TimeUnit.SECONDS).conversationId()).isEqualTo(id);

    assertThat(world.conversations.find(id).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("alice"));
    assertThat(world.events.events).containsExactly("assigned bob", "assigned alice",
        "message Who is this? -> agent:alice");
    List<TranscriptEntry> lines = world.conversations.transcript(id);
    assertThat(lines).extracting(TranscriptEntry::direction, TranscriptEntry::text).containsExactlyInAnyOrder(
        Tuple.tuple(TranscriptEntry.Direction.OUTBOUND, "Bob here"),
        Tuple.tuple(TranscriptEntry.Direction.SYSTEM, "Agent alice took over the conversation"),
        Tuple.tuple(TranscriptEntry.Direction.INBOUND, "Who is this?"),
        Tuple.tuple(TranscriptEntry.Direction.OUTBOUND, "Alice here"));
    assertThat(lines.stream().map(TranscriptEntry::text).toList()).as("the takeover before the reply")
        .containsSubsequence("Agent alice took over the conversation", "Who is this?");
  }

  @Test
  @DisplayName("a store that answers at once: the opening and the assignment under one hold of the pair's lock, "
      + "nothing registered")
  void answeringAtOnceKeepsOneHold() throws Exception {
    conversations.atOnce = true;
    List<String> seen = new CopyOnWriteArrayList<>();
    conversations.onOpen = () -> seen.add("open: held " + pairLock().getHoldCount() + ", registered "
        + (service.router().opens().latest(CUSTOMER, SALES_1) != null));
    service.addListener(new ConversationListener() {
      @Override
      public void onAssigned(Conversation c, String agentId, String whisper) {
        seen.add("assigned: held " + pairLock().getHoldCount());
      }
    });

    CompletableFuture<OutboundConversation> started = startOutbound("alice", "Your order");
    assertThat(started).as("done on return").isDone();
    assertThat(seen).containsExactly("open: held 1, registered false", "assigned: held 1");
    assertThat(conversations.openings).isEmpty();
    assertThat(pairLock().isLocked()).isFalse();
  }

  /** A customer other than CUSTOMER whose pair with SALES_1 has the same lock stripe. */
  private PhoneNumber sameStripeCustomer() {
    ReentrantLock lock = pairLock();
    for (int i = 0; i < 10_000; i++) {
      PhoneNumber n = PhoneNumber.of(String.format("+1415555%04d", i));
      if (!n.equals(CUSTOMER) && service.router().lockFor(n, SALES_1) == lock) {
        return n;
      }
    }
    throw new AssertionError("no customer number found on the same stripe");
  }

  /** An opening held by the test: written (and answered) when {@code gate} completes. */
  record Held(Conversation candidate, TranscriptEntry firstLine, CompletableFuture<Void> gate) {}

  /** openIfAbsentAsync is held until the test completes the opening's gate; the rest is the delegate's. */
  static final class HeldOpenings extends ForwardingConversationStore {
    final List<Held> openings = new CopyOnWriteArrayList<>();
    /** Answer at once, as the default does (calling openIfAbsent here). */
    volatile boolean atOnce;
    /** Run as an opening is written, on the writing thread. */
    volatile Runnable onOpen = () -> {};

    HeldOpenings(InMemoryConversationStore delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<Conversation> openIfAbsentAsync(Conversation candidate, TranscriptEntry firstLine) {
      if (atOnce) {
        return super.openIfAbsentAsync(candidate, firstLine);
      }
      ConversationStore.checkFirstLine(candidate, firstLine);
      Held held = new Held(candidate, firstLine, new CompletableFuture<>());
      openings.add(held);
      return held.gate.thenApply(x -> delegate.openIfAbsent(candidate, firstLine));
    }

    @Override
    public Conversation openIfAbsent(Conversation candidate, TranscriptEntry firstLine) {
      onOpen.run();
      return delegate.openIfAbsent(candidate, firstLine);
    }

    @Override
    public <R> R joinOpen(PhoneNumber customer, Originator business, Instant activityAt, Instant lineAt,
        TranscriptEntry.Direction direction, String author, String text, String messageId,
        BiFunction<? super String, ? super RouteTarget, ? extends R> join) {
      return delegate.joinOpen(customer, business, activityAt, lineAt, direction, author, text, messageId, join);
    }

  }
}
