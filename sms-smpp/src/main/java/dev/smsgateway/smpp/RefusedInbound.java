package dev.smsgateway.smpp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ids of inbound messages we refused (ESME_RX_T_APPN), so the SMSC's redelivery of one gets the id its first
 * delivery had. A deliver_sm carries no message id, and nothing in it is stable across a redelivery, so the provider
 * names each MO itself; without this, a refused MO whose handling had taken effect downstream before the failure (an
 * Amazon Connect SendMessage answered 5xx that had in fact added it) would come back under a new id and be handled
 * twice. With it, downstream idempotency (the gateway's inbound de-duplication, a ClientToken made from the id) sees
 * the same id again.
 *
 * <p>Matching is by the whole message: customer, business number, number of parts and text. Each refused delivery is
 * taken by one later delivery at most (the first to match, within {@code ttl}), so a customer who genuinely sends the
 * same text again is not merged with the redelivery: the two deliveries still make two ids. Messages the listener
 * accepted are never remembered. Bounded: at most {@code capacity} refused messages are kept, the oldest dropped
 * first; a dropped or expired one only loses this help (its redelivery gets a new id, as without it).
 */
final class RefusedInbound {

  private final Clock clock;
  private final Duration ttl;
  private final int capacity;
  // refused message -> the ids of its refused deliveries, oldest first; map order: first refusal of each message
  private final LinkedHashMap<String, Deque<Entry>> refused = new LinkedHashMap<>();
  private int size;

  private record Entry(String id, Instant until) {}

  RefusedInbound(Clock clock, Duration ttl, int capacity) {
    this.clock = clock;
    this.ttl = ttl;
    this.capacity = capacity;
  }

  /** The key of an MO: who sent what to which number, in how many parts. Kept in memory only, never logged. */
  static String key(String customer, String business, int parts, String text) {
    return customer + '\u0000' + business + '\u0000' + parts + '\u0000' + text;
  }

  /** The id of an earlier refused delivery of the same message, if one is waiting; it is taken (used once). */
  synchronized Optional<String> take(String key) {
    Deque<Entry> ids = refused.get(key);
    if (ids == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Entry found = null;
    while (!ids.isEmpty() && found == null) {
      Entry e = ids.pollFirst();
      size--;
      if (e.until().isAfter(now)) {
        found = e;
      }
    }
    if (ids.isEmpty()) {
      refused.remove(key);
    }
    return found == null ? Optional.empty() : Optional.of(found.id());
  }

  /** Remembers that the delivery named {@code id} of this message was refused, for its redelivery to take. */
  synchronized void refusedNow(String key, String id) {
    refused.computeIfAbsent(key, k -> new ArrayDeque<>(1)).addLast(new Entry(id, clock.instant().plus(ttl)));
    size++;
    Iterator<Map.Entry<String, Deque<Entry>>> oldest = refused.entrySet().iterator();
    while (size > capacity && oldest.hasNext()) {
      Deque<Entry> ids = oldest.next().getValue();
      ids.pollFirst();
      size--;
      if (ids.isEmpty()) {
        oldest.remove();
      }
    }
  }

  /** How many refused deliveries are remembered (for tests). */
  synchronized int size() {
    return size;
  }
}
