package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.CUSTOMER_2;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static dev.smsgateway.routing.TestWorld.SALES_2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.test.Eventually;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PendingOpens on its own: the latest opening of a pair, registered and finished; a routing decision that waits for it
 * without holding the pair's lock, and one that does not wait because its thread holds the lock already.
 */
class PendingOpensTest {

  private final PendingOpens opens = new PendingOpens();
  private final ReentrantLock lock = new ReentrantLock();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName("latest: null with nothing registered, the latest registered opening, null once it finished")
  void latestRegisterFinished() {
    assertThat(opens.latest(CUSTOMER, SALES_1)).isNull();

    CompletableFuture<Void> first = opens.register(CUSTOMER, SALES_1);
    assertThat(first).isNotDone();
    assertThat(opens.latest(CUSTOMER, SALES_1)).isSameAs(first);
    assertThat(opens.latest(CUSTOMER, SALES_2)).as("another business number").isNull();
    assertThat(opens.latest(CUSTOMER_2, SALES_1)).as("another customer").isNull();

    CompletableFuture<Void> second = opens.register(CUSTOMER, SALES_1);
    assertThat(opens.latest(CUSTOMER, SALES_1)).as("the latest one").isSameAs(second);

    opens.finished(CUSTOMER, SALES_1, first);
    assertThat(first).isCompleted();
    assertThat(opens.latest(CUSTOMER, SALES_1)).as("the first finishing leaves the second").isSameAs(second);

    opens.finished(CUSTOMER, SALES_1, second);
    assertThat(second).isCompleted();
    assertThat(opens.latest(CUSTOMER, SALES_1)).isNull();
  }

  @Test
  @DisplayName("latest ignores an opening completed by other means (finished not called yet)")
  void doneTokenIsNotLatest() {
    CompletableFuture<Void> token = opens.register(CUSTOMER, SALES_1);
    token.complete(null);
    assertThat(opens.latest(CUSTOMER, SALES_1)).isNull();
  }

  @Test
  @DisplayName("a decision waits for the pair's opening without holding the lock, then holds it once")
  void decisionWaitsWithoutTheLock() throws Exception {
    CompletableFuture<Void> token = opens.register(CUSTOMER, SALES_1);
    AtomicReference<Thread> decider = new AtomicReference<>();
    Future<Integer> decision = pool.submit(() -> {
      decider.set(Thread.currentThread());
      opens.lockForDecision(lock, CUSTOMER, SALES_1);
      try {
        assertThat(token).as("only after the opening finished").isCompleted();
        return lock.getHoldCount();
      } finally {
        lock.unlock();
      }
    });
    awaitWaiting(decider);

    assertThat(decision).isNotDone();
    assertThat(lock.isLocked()).as("the lock is free while the decision waits").isFalse();
    assertThat(lock.tryLock()).as("an opening can take the lock to assign").isTrue();
    lock.unlock();

    opens.finished(CUSTOMER, SALES_1, token);
    assertThat(decision.get(5, TimeUnit.SECONDS)).as("held once").isEqualTo(1);
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  @DisplayName("a decision waits for every opening registered before it gets the lock, one after the other")
  void waitsForALaterOpeningToo() throws Exception {
    CompletableFuture<Void> first = opens.register(CUSTOMER, SALES_1);
    AtomicReference<CompletableFuture<Void>> second = new AtomicReference<>();
    AtomicReference<Thread> decider = new AtomicReference<>();
    Future<Boolean> decision = pool.submit(() -> {
      decider.set(Thread.currentThread());
      opens.lockForDecision(lock, CUSTOMER, SALES_1);
      try {
        return second.get().isDone(); // registered before this waited
      } finally {
        lock.unlock();
      }
    });
    awaitWaiting(decider);
    second.set(opens.register(CUSTOMER, SALES_1)); // registered while the decision waits

    opens.finished(CUSTOMER, SALES_1, first);
    assertThat(opens.latest(CUSTOMER, SALES_1)).isSameAs(second.get());
    opens.finished(CUSTOMER, SALES_1, second.get());
    assertThat(decision.get(5, TimeUnit.SECONDS)).as("locked only after the second opening finished").isTrue();
  }

  @Test
  @DisplayName("a decision does not wait when its thread holds the lock already (the outer hold waited)")
  void reentrantDecisionDoesNotWait() throws Exception {
    CompletableFuture<Void> token = opens.register(CUSTOMER, SALES_1);
    Future<Integer> decision = pool.submit(() -> {
      lock.lock();
      try {
        opens.lockForDecision(lock, CUSTOMER, SALES_1);
        try {
          return lock.getHoldCount();
        } finally {
          lock.unlock();
        }
      } finally {
        lock.unlock();
      }
    });
    assertThat(decision.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(token).as("the opening is still in flight").isNotDone();
  }

  @Test
  @DisplayName("a decision for another pair, or with nothing in flight, takes the lock at once")
  void noWaitForOtherPairs() throws Exception {
    opens.register(CUSTOMER, SALES_1);
    Future<Boolean> other = pool.submit(() -> {
      opens.lockForDecision(lock, CUSTOMER_2, SALES_1);
      try {
        return lock.isHeldByCurrentThread();
      } finally {
        lock.unlock();
      }
    });
    assertThat(other.get(5, TimeUnit.SECONDS)).isTrue();

    PendingOpens empty = new PendingOpens();
    empty.lockForDecision(lock, CUSTOMER, SALES_1);
    assertThat(lock.getHoldCount()).isEqualTo(1);
    lock.unlock();
  }

  @Test
  @DisplayName("a decision waiting for an opening that failed goes on (finished completes the token normally)")
  void failedOpeningReleases() throws Exception {
    CompletableFuture<Void> token = opens.register(CUSTOMER, SALES_1);
    CompletableFuture<Void> write = new CompletableFuture<>();
    write.whenComplete((x, e) -> opens.finished(CUSTOMER, SALES_1, token)); // as Outbound does
    AtomicReference<Thread> decider = new AtomicReference<>();
    Future<?> decision = pool.submit(() -> {
      decider.set(Thread.currentThread());
      opens.lockForDecision(lock, CUSTOMER, SALES_1);
      lock.unlock();
      return null;
    });
    awaitWaiting(decider);

    write.completeExceptionally(new IllegalStateException("disk full"));
    decision.get(5, TimeUnit.SECONDS);
    assertThat(token.isCompletedExceptionally()).isFalse();
    assertThat(opens.latest(CUSTOMER, SALES_1)).isNull();
  }

  /** Waits until the thread in {@code holder} (set by the task) is parked: waiting for an opening. */
  static void awaitWaiting(AtomicReference<Thread> holder) throws InterruptedException {
    Eventually.await("the decision waits for the opening", Duration.ofSeconds(5),
        () -> holder.get() != null && holder.get().getState() == Thread.State.WAITING);
  }
}
