package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ConversationEvents} engine must show, with several instances on one shared backend:
 * positions per stream, delivery only to the subscription holding a stream, in order, never twice, catch-up after an
 * instance was down, retention, concurrency. Extend it: {@link #freshBackend()} empties the shared engine before each
 * test, {@link #newInstance()} starts one more instance on it (as another JVM of the deployment would).
 *
 * <p>To prove that an engine's notifications work (rather than its safety-net polling), build instances with a poll
 * interval longer than {@link #deliveryTimeout()}.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class ConversationEventsCompatibilityKit {

  /** The time events happen at in these tests. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final List<ConversationEvents> instances = new ArrayList<>();

  /**
   * The clock instances built by {@link #newInstance()} must use (claim leases are measured with it): the tests move it
   * to let an abandoned claim lapse.
   */
  protected final MutableClock clock = new MutableClock(START.plusSeconds(86_400));

  /** Empties the shared backend (tables, streams, cursors) before each test. */
  protected abstract void freshBackend();

  /** A new instance on the backend of the current test; it is closed after the test. */
  protected abstract ConversationEvents newInstance();

  /** Releases the backend after each test (instances are already closed). */
  protected void closeBackend() {}

  /** The claim lease of the instances {@link #newInstance()} builds (default 30 s, the buses' default). */
  protected Duration claimLease() {
    return Duration.ofSeconds(30);
  }

  /** How long an event may take from publish to listener (default 10 s; the tests wait only as long as needed). */
  protected Duration deliveryTimeout() {
    return Duration.ofSeconds(10);
  }

  @BeforeEach
  void createBackend() {
    freshBackend();
  }

  @AfterEach
  void closeInstances() {
    for (ConversationEvents instance : instances) {
      instance.close();
    }
    instances.clear();
    closeBackend();
  }

  /** A new instance, closed after the test. */
  protected ConversationEvents instance() {
    ConversationEvents instance = newInstance();
    instances.add(instance);
    return instance;
  }

  /** A listener that records what it receives. Thread-safe. */
  protected final class Received implements dev.smsgateway.events.ConversationEventListener {
    private final LinkedBlockingQueue<ConversationEvent> queue = new LinkedBlockingQueue<>();
    private final List<ConversationEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ConversationEvent event) {
      all.add(event);
      queue.add(event);
    }

    /** The next {@code n} events, waiting for them up to the delivery timeout; fails if they do not come. */
    public List<ConversationEvent> next(int n) {
      List<ConversationEvent> out = new ArrayList<>();
      long deadline = System.nanoTime() + deliveryTimeout().toNanos();
      while (out.size() < n) {
        long left = deadline - System.nanoTime();
        ConversationEvent e;
        try {
          e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", ie);
        }
        if (e == null) {
          throw new AssertionError("expected " + n + " events within " + deliveryTimeout() + ", got " + out.size()
              + ": " + out);
        }
        out.add(e);
      }
      return out;
    }

    /** Everything received so far. */
    public List<ConversationEvent> all() {
      return List.copyOf(all);
    }
  }

  private static ConversationEvent message(String agent, int n) {
    return ConversationEvent.message(agent, "conv-" + agent, "in-" + n, START.plusSeconds(n));
  }

  private static List<String> messageIds(List<ConversationEvent> events) {
    return events.stream().map(ConversationEvent::messageId).toList();
  }

  /** Publishes a marker on {@code stream} and waits for it on {@code received}, so that all before it arrived too. */
  private void barrier(ConversationEvents publisher, Received received, String stream) {
    ConversationEvent marker = publisher.publish(ConversationEvent.released(stream, "marker", START));
    long deadline = System.nanoTime() + deliveryTimeout().toNanos();
    while (received.all().stream().noneMatch(e -> e.equals(marker))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the marker on " + stream + " never arrived");
      }
      received.next(1);
    }
  }

  @Nested
  @DisplayName("publishing")
  class Publishing {

    @Test
    @DisplayName("each stream numbers its events 1, 2, 3... on its own, and read returns them as published")
    void positions() {
      ConversationEvents bus = instance();
      ConversationEvent a1 = bus.publish(ConversationEvent.assigned("alice", "c1", "Your table is ready", START));
      ConversationEvent b1 = bus.publish(ConversationEvent.message("bob", "c2", "in-1", START.plusNanos(123_456_789)));
      ConversationEvent a2 = bus.publish(ConversationEvent.deliveryReport("alice", "c1", "m-1", "DELIVERED",
          START.plusSeconds(1)));
      ConversationEvent a3 = bus.publish(ConversationEvent.ended("alice", "c1", "AGENT", START.plusSeconds(2)));
      ConversationEvent q1 = bus.publish(ConversationEvent.queued("queue:support", "c3", 2, 5, START));

      assertThat(List.of(a1.position(), a2.position(), a3.position())).containsExactly(1L, 2L, 3L);
      assertThat(b1.position()).isEqualTo(1);
      assertThat(q1.position()).isEqualTo(1);
      assertThat(a1).isEqualTo(ConversationEvent.assigned("alice", "c1", "Your table is ready", START)
          .withPosition(1));
      assertThat(instance().read("alice", 0, 10)).containsExactly(a1, a2, a3);
      assertThat(bus.read("alice", 1, 1)).containsExactly(a2);
      assertThat(bus.read("bob", 0, 10)).containsExactly(b1);
      assertThat(bus.read("queue:support", 0, 10)).singleElement()
          .satisfies(q -> assertThat(List.of(q.queuePosition(), q.queueDepth())).containsExactly(2, 5));
      assertThat(bus.read("nobody", 0, 10)).isEmpty();
    }

    @Test
    @DisplayName("an event that already has a position, or none at all, is refused")
    void refused() {
      ConversationEvents bus = instance();
      ConversationEvent published = bus.publish(message("alice", 1));
      assertThatThrownBy(() -> bus.publish(published)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("position");
      assertThatThrownBy(() -> bus.publish(null)).isInstanceOf(NullPointerException.class);
      assertThat(bus.read("alice", 0, 10)).containsExactly(published);
    }
  }

  @Nested
  @DisplayName("delivery")
  class Delivery {

    @Test
    @DisplayName("a subscription receives its stream's events in order, published on this or another instance")
    void inOrder() {
      ConversationEvents here = instance();
      ConversationEvents elsewhere = instance();
      Received received = new Received();
      here.subscribe("a", received).attach("alice");
      here.publish(message("alice", 1));
      elsewhere.publish(message("alice", 2));
      elsewhere.publish(message("alice", 3));
      List<ConversationEvent> got = received.next(3);
      assertThat(messageIds(got)).containsExactly("in-1", "in-2", "in-3");
      assertThat(got).extracting(ConversationEvent::position).containsExactly(1L, 2L, 3L);
    }

    @Test
    @DisplayName("each instance receives only the events of the streams attached to it")
    void onlyOwnStreams() {
      ConversationEvents a = instance();
      ConversationEvents b = instance();
      ConversationEvents publisher = instance();
      Received atA = new Received();
      Received atB = new Received();
      a.subscribe("a", atA).attach("alice");
      ConversationEvents.Subscription bSub = b.subscribe("b", atB);
      bSub.attach("bob");
      bSub.attach("carol");
      for (int i = 1; i <= 5; i++) {
        publisher.publish(message("alice", i));
        publisher.publish(message("bob", i));
        publisher.publish(message("dave", i));   // nobody has dave: it waits in the log
      }
      barrier(publisher, atA, "alice");
      barrier(publisher, atB, "bob");
      assertThat(atA.all()).allMatch(e -> e.stream().equals("alice")).hasSize(6);
      assertThat(atB.all()).allMatch(e -> e.stream().equals("bob")).hasSize(6);
      assertThat(bSub.streams()).containsExactlyInAnyOrder("bob", "carol");
    }

    @Test
    @DisplayName("a listener that throws does not stop the events after it")
    void listenerFailureContained() {
      ConversationEvents bus = instance();
      Received received = new Received();
      bus.subscribe("a", event -> {
        received.onEvent(event);
        if (event.position() == 1) {
          throw new IllegalStateException("listener bug");
        }
      }).attach("alice");
      bus.publish(message("alice", 1));
      bus.publish(message("alice", 2));
      assertThat(messageIds(received.next(2))).containsExactly("in-1", "in-2");
    }
  }

  @Nested
  @DisplayName("catch-up")
  class CatchUp {

    @Test
    @DisplayName("events published while the agent's instance was down arrive, in order and only those, after it restarts")
    void afterRestart() {
      ConversationEvents publisher = instance();
      ConversationEvents before = instance();
      Received first = new Received();
      before.subscribe("a", first).attach("alice");
      publisher.publish(message("alice", 1));
      assertThat(messageIds(first.next(1))).containsExactly("in-1");
      before.close();   // the instance goes down

      publisher.publish(message("alice", 2));
      publisher.publish(message("alice", 3));

      ConversationEvents after = instance();   // it comes back
      Received second = new Received();
      after.subscribe("a", second).attach("alice");
      assertThat(messageIds(second.next(2))).containsExactly("in-2", "in-3");
      barrier(publisher, second, "alice");
      assertThat(second.all()).hasSize(3);
      assertThat(first.all()).hasSize(1);
    }

    @Test
    @DisplayName("events published before any subscription existed arrive on the first attach")
    void beforeFirstAttach() {
      ConversationEvents publisher = instance();
      publisher.publish(message("alice", 1));
      publisher.publish(message("alice", 2));
      Received received = new Received();
      instance().subscribe("a", received).attach("alice");
      assertThat(messageIds(received.next(2))).containsExactly("in-1", "in-2");
    }

    @Test
    @DisplayName("an agent that moves to another instance gets there what it had not received")
    void agentMoves() {
      ConversationEvents a = instance();
      ConversationEvents b = instance();
      Received atA = new Received();
      Received atB = new Received();
      ConversationEvents.Subscription subA = a.subscribe("a", atA);
      subA.attach("alice");
      a.publish(message("alice", 1));
      atA.next(1);
      subA.detach("alice");
      a.publish(message("alice", 2));
      b.subscribe("b", atB).attach("alice");
      assertThat(messageIds(atB.next(1))).containsExactly("in-2");
      barrier(a, atB, "alice");
      assertThat(atA.all()).hasSize(1);
    }

    @Test
    @DisplayName("a closed subscription receives nothing more; its stream's events wait for the next attach")
    void closedSubscription() {
      ConversationEvents bus = instance();
      Received first = new Received();
      ConversationEvents.Subscription sub = bus.subscribe("a", first);
      sub.attach("alice");
      sub.close();
      bus.publish(message("alice", 1));
      Received second = new Received();
      bus.subscribe("b", second).attach("alice");
      assertThat(messageIds(second.next(1))).containsExactly("in-1");
      assertThat(first.all()).isEmpty();
      assertThatThrownBy(() -> sub.attach("alice")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  @DisplayName("no duplicates")
  class NoDuplicates {

    @Test
    @DisplayName("a stream attached on two instances at once: each event reaches exactly one of them, each in order")
    void attachedTwice() {
      ConversationEvents a = instance();
      ConversationEvents b = instance();
      int n = 40;
      for (int i = 1; i <= n / 2; i++) {   // a backlog both instances start reading at once
        (i % 2 == 0 ? a : b).publish(message("alice", i));
      }
      Received atA = new Received();
      Received atB = new Received();
      // slow listeners keep both delivery threads inside the backlog together, where they race for every event
      a.subscribe("a", slow(atA)).attach("alice");
      b.subscribe("b", slow(atB)).attach("alice");
      for (int i = n / 2 + 1; i <= n; i++) {
        (i % 2 == 0 ? a : b).publish(message("alice", i));
      }
      awaitTotal(n, atA, atB);
      List<Long> all = new ArrayList<>();
      all.addAll(positions(atA.all()));
      all.addAll(positions(atB.all()));
      assertThat(all).hasSize(n).doesNotHaveDuplicates();
      assertThat(positions(atA.all())).isSorted();
      assertThat(positions(atB.all())).isSorted();
    }

    private dev.smsgateway.events.ConversationEventListener slow(Received received) {
      return event -> {
        received.onEvent(event);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
    }

    @Test
    @DisplayName("many publishers and three instances at once: every event once, each stream in order")
    void concurrent() {
      ConversationEvents[] subscribers = {instance(), instance(), instance()};
      ConversationEvents[] publishers = {instance(), instance()};
      String[] agents = {"a0", "a1", "a2", "a3", "a4", "a5"};
      Received[] received = new Received[subscribers.length];
      for (int s = 0; s < subscribers.length; s++) {
        received[s] = new Received();
        ConversationEvents.Subscription sub = subscribers[s].subscribe("s" + s, received[s]);
        for (int a = s; a < agents.length; a += subscribers.length) {
          sub.attach(agents[a]);
        }
      }
      int perThread = 15;
      List<List<ConversationEvent>> published = publishConcurrently(4, t -> {
        List<ConversationEvent> mine = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          String agent = agents[(t + i) % agents.length];
          mine.add(publishers[i % 2].publish(ConversationEvent.message(agent, "conv-" + agent, "t" + t + "-" + i,
              START.plusMillis(i))));
        }
        return mine;
      });
      int total = 4 * perThread;
      awaitTotal(total, received);

      Map<String, List<Long>> publishedPositions = new HashMap<>();
      for (List<ConversationEvent> list : published) {
        for (ConversationEvent e : list) {
          publishedPositions.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e.position());
        }
      }
      for (int s = 0; s < subscribers.length; s++) {
        for (int a = s; a < agents.length; a += subscribers.length) {
          String agent = agents[a];
          List<Long> got = received[s].all().stream().filter(e -> e.stream().equals(agent))
              .map(ConversationEvent::position).toList();
          long count = publishedPositions.getOrDefault(agent, List.of()).size();
          // positions 1..count, no gaps, no duplicates, in order
          assertThat(got).as("stream %s at subscriber %s", agent, s)
              .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, count).boxed().toList());
          assertThat(publishedPositions.get(agent)).doesNotHaveDuplicates();
        }
        int index = s;
        assertThat(received[s].all()).allMatch(e -> ownedBy(e.stream(), agents, index, subscribers.length));
      }
    }

    /**
     * {@code action(t)} on {@code threads} threads released together, each allowed six delivery timeouts (appends that
     * race on one stream retry, which a remote engine on a busy machine makes slow).
     */
    private <T> List<T> publishConcurrently(int threads, java.util.function.IntFunction<T> action) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          int index = i;
          futures.add(pool.submit(() -> {
            go.await();
            return action.apply(index);
          }));
        }
        go.countDown();
        List<T> results = new ArrayList<>();
        for (java.util.concurrent.Future<T> f : futures) {
          results.add(f.get(deliveryTimeout().toMillis() * 6, TimeUnit.MILLISECONDS));
        }
        return results;
      } catch (Exception e) {
        throw new AssertionError("concurrent publishing failed: " + e, e);
      } finally {
        pool.shutdownNow();
      }
    }

    private boolean ownedBy(String stream, String[] agents, int subscriber, int subscribers) {
      for (int a = subscriber; a < agents.length; a += subscribers) {
        if (agents[a].equals(stream)) {
          return true;
        }
      }
      return false;
    }

    private List<Long> positions(List<ConversationEvent> events) {
      return events.stream().map(ConversationEvent::position).toList();
    }

    private void awaitTotal(int total, Received... receivers) {
      long deadline = System.nanoTime() + deliveryTimeout().toNanos();
      while (true) {
        int sum = 0;
        for (Received r : receivers) {
          sum += r.all().size();
        }
        if (sum >= total) {
          assertThat(sum).as("events received").isEqualTo(total);
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("expected " + total + " events within " + deliveryTimeout() + ", got " + sum);
        }
        try {
          Thread.sleep(5);   // polling a count, not synchronizing: the deadline bounds it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  @Nested
  @DisplayName("an instance dying while it delivers")
  class Dying {

    /**
     * A subscription of a new instance on {@code stream} whose listener hands the first {@code handOver} events to
     * {@code heard}, then "dies" in the next listener call: that call never returns (until {@code released}), the
     * way a JVM killed there never acknowledges, and what it was given reaches nobody.
     */
    private CountDownLatch dyingOn(String stream, int handOver, List<ConversationEvent> heard,
        CountDownLatch released) {
      CountDownLatch died = new CountDownLatch(1);
      instance().subscribe("dying", event -> {
        if (heard.size() < handOver && died.getCount() == 1) {
          heard.add(event);
          return;
        }
        died.countDown();
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).attach(stream);
      return died;
    }

    private void await(CountDownLatch latch, String what) throws InterruptedException {
      assertThat(latch.await(deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS)).as(what).isTrue();
    }

    @Test
    @DisplayName("killed between claiming a batch and delivering it: the stream's next instance delivers the whole "
        + "batch, in order, once the claim's lease has passed")
    void betweenClaimAndDelivery() throws InterruptedException {
      ConversationEvents publisher = instance();
      CountDownLatch released = new CountDownLatch(1);
      try {
        List<ConversationEvent> heardBeforeDying = new CopyOnWriteArrayList<>();
        CountDownLatch died = dyingOn("alice", 0, heardBeforeDying, released);
        publisher.publish(message("alice", 1));
        publisher.publish(message("alice", 2));
        publisher.publish(message("alice", 3));
        await(died, "the dying instance claimed the batch");

        Received received = new Received();   // alice's desktop reconnects to another instance
        instance().subscribe("next", received).attach("alice");
        clock.advance(claimLease().plusSeconds(1));
        assertThat(messageIds(received.next(3))).containsExactly("in-1", "in-2", "in-3");
        publisher.publish(message("alice", 4));
        assertThat(messageIds(received.next(1))).containsExactly("in-4");
        barrier(publisher, received, "alice");
        assertThat(received.all()).hasSize(5);
        assertThat(heardBeforeDying).isEmpty();
      } finally {
        released.countDown();
      }
    }

    @Test
    @DisplayName("killed in the middle of a batch: what it delivered is not delivered again, the rest is")
    void inTheMiddleOfABatch() throws InterruptedException {
      ConversationEvents publisher = instance();
      CountDownLatch released = new CountDownLatch(1);
      try {
        for (int i = 1; i <= 5; i++) {   // one backlog, read as one batch
          publisher.publish(message("alice", i));
        }
        List<ConversationEvent> heardBeforeDying = new CopyOnWriteArrayList<>();
        CountDownLatch died = dyingOn("alice", 2, heardBeforeDying, released);
        await(died, "the dying instance delivered two events");
        assertThat(messageIds(heardBeforeDying)).containsExactly("in-1", "in-2");

        Received received = new Received();
        instance().subscribe("next", received).attach("alice");
        clock.advance(claimLease().plusSeconds(1));
        assertThat(messageIds(received.next(3))).containsExactly("in-3", "in-4", "in-5");
        barrier(publisher, received, "alice");
        assertThat(received.all()).hasSize(4);
      } finally {
        released.countDown();
      }
    }
  }

  @Nested
  @DisplayName("retention")
  class Retention {

    @Test
    @DisplayName("purging deletes events older than the cutoff; positions are not reused and cursors hold")
    void purge() {
      ConversationEvents bus = instance();
      Received received = new Received();
      bus.publish(ConversationEvent.message("alice", "c", "old-1", START));
      bus.publish(ConversationEvent.message("alice", "c", "old-2", START.plusSeconds(10)));
      bus.publish(ConversationEvent.message("alice", "c", "new-3", START.plusSeconds(3600)));
      bus.publish(ConversationEvent.message("bob", "c", "old-b", START));

      int purged = bus.purgeBefore(START.plusSeconds(60));

      assertThat(purged).isIn(0, 3);   // 0 where the engine expires items by itself
      assertThat(messageIds(bus.read("alice", 0, 10))).containsExactly("new-3");
      assertThat(bus.read("bob", 0, 10)).isEmpty();
      assertThat(bus.publish(ConversationEvent.message("alice", "c", "new-4", START.plusSeconds(3601))).position())
          .isEqualTo(4);
      assertThat(bus.publish(ConversationEvent.message("bob", "c", "new-b", START.plusSeconds(3601))).position())
          .isEqualTo(2);
      bus.subscribe("a", received).attach("alice");
      assertThat(messageIds(received.next(2))).containsExactly("new-3", "new-4");
    }
  }
}
