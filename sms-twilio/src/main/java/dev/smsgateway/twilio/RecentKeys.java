package dev.smsgateway.twilio;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded set of recently seen keys, each remembered for a fixed window: the webhook's own de-duplication when no
 * shared store does it. When more than {@code capacity} keys are live, the oldest are forgotten first.
 *
 * <p>Thread-safe: {@link #add} is atomic per key, so of several concurrent callers with one key exactly one wins.
 */
final class RecentKeys {

  /**
   * A key and when it expires, in nanoseconds since the epoch (exact for clocks between the years 1678 and 2262,
   * saturated beyond them); the same object is the map's value and the queue's element, so that an add allocates no
   * expiry of its own, and the map's entry is compared with it by reference.
   */
  private static final class Mark {
    final String key;
    final long expiresAt;

    Mark(String key, long expiresAt) {
      this.key = key;
      this.expiresAt = expiresAt;
    }
  }

  private final ConcurrentHashMap<String, Mark> live = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Mark> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final long windowNanos;
  private final int capacity;

  RecentKeys(Duration window, int capacity) {
    this.windowNanos = nanos(window);
    this.capacity = capacity;
  }

  /** Nanoseconds, saturated at Long.MAX_VALUE (a window of centuries is as good as forever). */
  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {@code at} in nanoseconds since the epoch, saturated. */
  private static long epochNanos(Instant at) {
    long seconds = at.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + at.getNano();
  }

  private static long plus(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum; // b >= 0: only an overflow upwards
  }

  /** Records {@code key}; true if it was not seen within the window (the caller should process the event). */
  boolean add(String key, Instant now) {
    if (windowNanos == 0) {
      return true;
    }
    long at = epochNanos(now);
    evict(at);
    Mark mark = new Mark(key, plus(at, windowNanos));
    // putIfAbsent for the usual new key (no lambda, no lock on a bin held while computing); an expired mark is
    // replaced only if it is still the one read (by reference), so that of two racing adds exactly one wins
    Mark current;
    while ((current = live.putIfAbsent(key, mark)) != null) {
      if (current.expiresAt > at) {
        return false;
      }
      if (live.replace(key, current, mark)) {
        break;
      }
    }
    order.add(mark);
    queued.incrementAndGet();
    return true;
  }

  /** Forgets {@code key}, so that a redelivery of an event that failed to process is processed. */
  void remove(String key) {
    live.remove(key);
  }

  int size() {
    return live.size();
  }

  private void evict(long now) {
    Mark head;
    while ((head = order.peek()) != null && (head.expiresAt <= now || queued.get() > capacity)) {
      if (order.remove(head)) {
        queued.decrementAndGet();
        live.remove(head.key, head); // only if it is still this mark: a key added again later stays
      }
    }
  }
}
