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

  private record Mark(String key, Instant expiresAt) {}

  private final ConcurrentHashMap<String, Instant> live = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Mark> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Duration window;
  private final int capacity;

  RecentKeys(Duration window, int capacity) {
    this.window = window;
    this.capacity = capacity;
  }

  /** Records {@code key}; true if it was not seen within the window (the caller should process the event). */
  boolean add(String key, Instant now) {
    if (window.isZero()) {
      return true;
    }
    evict(now);
    Instant expiresAt = now.plus(window);
    // putIfAbsent for the usual new key (no lambda, no lock on a bin held while computing); an expired mark is
    // replaced only if it is still the one read, so that of two racing adds exactly one wins
    Instant current;
    while ((current = live.putIfAbsent(key, expiresAt)) != null) {
      if (current.isAfter(now)) {
        return false;
      }
      if (live.replace(key, current, expiresAt)) {
        break;
      }
    }
    order.add(new Mark(key, expiresAt));
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

  private void evict(Instant now) {
    Mark head;
    while ((head = order.peek()) != null && (!head.expiresAt().isAfter(now) || queued.get() > capacity)) {
      if (order.remove(head)) {
        queued.decrementAndGet();
        live.remove(head.key(), head.expiresAt());
      }
    }
  }
}
