package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.HeldMessage;
import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.compliance.Purpose;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link HeldMessageStore} must show: held messages come back whole, due ones only, in release
 * order, each claimed by one taker for a lease and taken again only when the lease passed, removed by id. Extend it and
 * return a fresh, empty store from {@link #createStore(java.time.Clock)}; override {@link #secondStore} where a second
 * gateway would have its own store object on the same data.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class HeldMessageStoreCompatibilityKit extends StoreCompatibilityKit<HeldMessageStore> {

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+18085550100");

  /** The lease the tests claim with. */
  protected static final Duration LEASE = Duration.ofMinutes(5);

  /**
   * Another store object on the same data as {@link #store}, as a second gateway on the same database has; closed by
   * the subclass. The default returns {@link #store} itself (an in-memory store is shared as one object).
   */
  protected HeldMessageStore secondStore() {
    return store;
  }

  protected HeldMessage held(String id, Instant releaseAt, long sequence) {
    return new HeldMessage(id, CUSTOMER, "+14155550199", "Sale starts at 9 \"sharp\" ⏰", "twilio",
        Purpose.MARKETING, true, List.of(URI.create("https://example.com/a.png")),
        Map.of("campaign", "spring=sale&x", "agentId", "alice"), releaseAt, sequence);
  }

  @Nested
  @DisplayName("holding and taking")
  class HoldingAndTaking {

    @Test
    @DisplayName("a held message comes back whole once due")
    void roundTrip() {
      HeldMessage h = held("m1", clock.instant().plus(Duration.ofHours(3)), 1);
      store.hold(h);
      assertThat(store.all()).containsExactly(h);
      assertThat(store.takeDue(clock.instant(), 10, LEASE)).isEmpty();
      assertThat(store.takeDue(h.releaseAt(), 10, LEASE)).containsExactly(h);
    }

    @Test
    @DisplayName("optional fields may be absent")
    void minimal() {
      HeldMessage h = new HeldMessage("m1", CUSTOMER, null, "Hi", null, Purpose.TRANSACTIONAL, false, List.of(),
          Map.of(), clock.instant(), 7);
      store.hold(h);
      assertThat(store.takeDue(clock.instant(), 10, LEASE)).containsExactly(h);
    }

    @Test
    @DisplayName("a taken message is not taken again before its lease passes, and stays held")
    void takenOnceWithinLease() {
      store.hold(held("m1", clock.instant(), 1));
      assertThat(store.takeDue(clock.instant(), 10, LEASE)).hasSize(1);
      assertThat(store.takeDue(clock.instant(), 10, LEASE)).isEmpty();
      assertThat(store.takeDue(clock.instant().plus(LEASE).minusNanos(1000), 10, LEASE)).isEmpty();
      assertThat(store.all()).extracting(HeldMessage::messageId).containsExactly("m1");
    }

    @Test
    @DisplayName("a taken message whose lease passed without a remove (its taker crashed) is taken again, once")
    void takenAgainAfterLease() {
      HeldMessage h = held("m1", clock.instant(), 1);
      store.hold(h);
      assertThat(store.takeDue(clock.instant(), 10, LEASE)).containsExactly(h);
      Instant later = clock.instant().plus(LEASE);
      assertThat(store.takeDue(later, 10, LEASE)).extracting(HeldMessage::messageId).containsExactly("m1");
      assertThat(store.takeDue(later, 10, LEASE)).isEmpty();
      assertThat(store.takeDue(later.plus(LEASE), 10, LEASE)).extracting(HeldMessage::messageId)
          .containsExactly("m1");
    }

    @Test
    @DisplayName("remove deletes a message, taken or not, and is idempotent")
    void remove() {
      store.hold(held("m1", clock.instant(), 1));
      store.hold(held("m2", clock.instant(), 2));
      store.hold(held("m3", clock.instant().plusSeconds(3600), 3));
      assertThat(store.takeDue(clock.instant(), 1, LEASE)).extracting(HeldMessage::messageId).containsExactly("m1");
      store.remove("m1");
      store.remove("m3");
      store.remove("m1");
      store.remove("never-held");
      assertThat(store.all()).extracting(HeldMessage::messageId).containsExactly("m2");
      Instant muchLater = clock.instant().plus(Duration.ofDays(1));
      assertThat(store.takeDue(muchLater, 10, LEASE)).extracting(HeldMessage::messageId).containsExactly("m2");
      store.remove("m2");
      assertThat(store.takeDue(muchLater.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
      assertThat(store.all()).isEmpty();
    }

    @Test
    @DisplayName("two store objects racing on takeDue: each message is taken by exactly one, in release order")
    void racingTakers() throws Exception {
      HeldMessageStore other = secondStore();
      Instant t = clock.instant();
      int count = 40;
      for (int i = 0; i < count; i++) {
        store.hold(held(String.format("m%02d", i), t.plusMillis(i / 2), i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> takers = new ArrayList<>();
        for (HeldMessageStore s : List.of(store, other)) {
          takers.add(pool.submit(() -> {
            start.await();
            List<String> mine = new ArrayList<>();
            List<HeldMessage> batch;
            do {
              batch = s.takeDue(t.plusSeconds(1), 3, LEASE);
              batch.forEach(h -> mine.add(h.messageId()));
            } while (!batch.isEmpty());
            return mine;
          }));
        }
        start.countDown();
        List<String> first = takers.get(0).get(30, TimeUnit.SECONDS);
        List<String> second = takers.get(1).get(30, TimeUnit.SECONDS);
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).hasSize(count).doesNotHaveDuplicates();
        assertThat(first).isSorted();
        assertThat(second).isSorted();
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("due messages come in release order, then acceptance order, up to the limit")
    void order() {
      Instant t = clock.instant();
      store.hold(held("late", t.plusSeconds(60), 1));
      store.hold(held("second", t, 3));
      store.hold(held("first", t, 2));
      store.hold(held("future", t.plusSeconds(3600), 4));
      assertThat(store.takeDue(t.plusSeconds(60), 2, LEASE)).extracting(HeldMessage::messageId)
          .containsExactly("first", "second");
      assertThat(store.takeDue(t.plusSeconds(60), 10, LEASE)).extracting(HeldMessage::messageId)
          .containsExactly("late");
      assertThat(store.all()).extracting(HeldMessage::messageId)
          .containsExactlyInAnyOrder("first", "second", "late", "future");
    }
  }
}
