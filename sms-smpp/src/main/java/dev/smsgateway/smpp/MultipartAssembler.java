package dev.smsgateway.smpp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reassembles multipart mobile-originated messages (UDH 8/16-bit references or SAR TLVs). A group is keyed by
 * sender, recipient, reference and part count; it completes when every part has arrived (a repeated part is ignored),
 * expires after a timeout, and the number of pending groups is capped (the oldest is dropped first), so a flood of
 * first parts cannot exhaust memory. A group that completed is remembered for one timeout so that a late duplicate
 * part does not open a new group.
 *
 * <p>Thread-safe (all methods synchronized). Time comes from the injected {@link Clock}.
 */
final class MultipartAssembler {

  /** A complete message and its parts' texts. */
  record Complete(String text, List<String> segments) {}

  /** What happened to a part. */
  enum Outcome { PENDING, COMPLETE, DUPLICATE }

  /** The result of {@link #add}. */
  record Result(Outcome outcome, Complete message) {}

  private final Clock clock;
  private final Duration timeout;
  private final int maxGroups;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, Instant> completed = new LinkedHashMap<>();
  private long expired;
  private long evicted;

  MultipartAssembler(Clock clock, Duration timeout, int maxGroups) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.timeout = timeout;
    this.maxGroups = maxGroups;
  }

  private static final class Group {
    final String[] parts;
    final Instant started;
    int received;

    Group(int total, Instant started) {
      this.parts = new String[total];
      this.started = started;
    }
  }

  /**
   * Adds a part.
   *
   * @param key sender, recipient and reference (the caller builds it)
   * @param total the number of parts (1-255)
   * @param seq this part's 1-based number
   */
  synchronized Result add(String key, int total, int seq, String text) {
    Instant now = clock.instant();
    sweep(now);
    String k = key + "|" + total;
    if (seq < 1 || seq > total) {
      return new Result(Outcome.DUPLICATE, null);
    }
    if (completed.containsKey(k)) {
      return new Result(Outcome.DUPLICATE, null);
    }
    Group g = groups.get(k);
    if (g == null) {
      while (groups.size() >= maxGroups) {
        Iterator<String> it = groups.keySet().iterator();
        it.next();
        it.remove();
        evicted++;
      }
      g = new Group(total, now);
      groups.put(k, g);
    }
    if (g.parts[seq - 1] != null) {
      return new Result(Outcome.DUPLICATE, null);
    }
    g.parts[seq - 1] = text;
    g.received++;
    if (g.received < total) {
      return new Result(Outcome.PENDING, null);
    }
    groups.remove(k);
    completed.put(k, now);
    return new Result(Outcome.COMPLETE, new Complete(String.join("", g.parts), List.of(g.parts)));
  }

  /**
   * Puts back a completed group minus its last part, when the listener refused the message: the SMSC delivers that
   * part again and the message completes a second time.
   */
  synchronized void reopen(String key, int total, int seq, Complete message) {
    List<String> parts = message.segments();
    String k = key + "|" + total;
    completed.remove(k);
    Group g = new Group(total, clock.instant());
    for (int i = 0; i < total; i++) {
      if (i != seq - 1 && i < parts.size()) {
        g.parts[i] = parts.get(i);
        g.received++;
      }
    }
    groups.put(k, g);
  }

  /** Drops groups older than the timeout. */
  synchronized void sweep() {
    sweep(clock.instant());
  }

  private void sweep(Instant now) {
    Instant limit = now.minus(timeout);
    for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
      Group g = it.next();
      if (g.started.isBefore(limit)) {
        it.remove();
        expired++;
      } else {
        break;
      }
    }
    completed.values().removeIf(t -> t.isBefore(limit));
  }

  synchronized int pending() {
    return groups.size();
  }

  synchronized long expired() {
    return expired;
  }

  synchronized long evicted() {
    return evicted;
  }
}
