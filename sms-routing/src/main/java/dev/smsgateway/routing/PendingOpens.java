package dev.smsgateway.routing;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agents' conversation openings whose store write is still in flight (a store that answers later: JDBC commits in
 * its next group), per (customer, business number) pair. An opening used to hold the pair's lock for its whole write,
 * so that a reply routed meanwhile saw the conversation, its first line and its assignment, or routed before the
 * opening began; now the opening registers here under the lock and lets the lock go, and a routing decision for the
 * pair (under the lock) waits for the registered opening to finish first: the same order, without a thread held for
 * the write. Openings of one pair run one after the other, each after the one registered before it.
 *
 * <p>With nothing in flight (always, with stores that answer at once) a decision pays one volatile read. Thread-safe.
 */
final class PendingOpens {

  private final ConcurrentHashMap<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  /** The latest opening registered for the pair and not finished, or null. Call under the pair's lock. */
  CompletableFuture<Void> latest(PhoneNumber customer, Originator business) {
    if (inFlight.get() == 0) {
      return null;
    }
    CompletableFuture<Void> f = pending.get(key(customer, business));
    return f == null || f.isDone() ? null : f;
  }

  /**
   * Registers an opening of the pair as the latest; returns its token, to be passed to {@link #finished} once the
   * opening is complete (its write committed and its conversation assigned). Call under the pair's lock.
   */
  CompletableFuture<Void> register(PhoneNumber customer, Originator business) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    inFlight.incrementAndGet();
    pending.put(key(customer, business), mine);
    return mine;
  }

  /** The opening of {@code token} is complete (or failed): decisions waiting for it go on. */
  void finished(PhoneNumber customer, Originator business, CompletableFuture<Void> token) {
    pending.remove(key(customer, business), token);
    inFlight.decrementAndGet();
    token.complete(null);
  }

  /**
   * Locks {@code lock} (the pair's) for a routing decision, after the pair's openings registered so far have finished:
   * when one is in flight, lets the lock go while waiting for it. A thread that holds the lock already (a decision
   * inside a handler that locked first) does not wait: the outer hold waited.
   */
  void lockForDecision(ReentrantLock lock, PhoneNumber customer, Originator business) {
    lock.lock();
    CompletableFuture<Void> opening = latest(customer, business); // null at once when nothing is in flight
    if (opening == null || lock.getHoldCount() > 1) {
      return;
    }
    for (; opening != null; opening = latest(customer, business)) {
      lock.unlock();
      try {
        opening.join(); // completes normally even when the opening failed (see finished)
      } finally {
        lock.lock();
      }
    }
  }

  private static String key(PhoneNumber customer, Originator business) {
    return customer.e164() + '|' + business.key();
  }
}
