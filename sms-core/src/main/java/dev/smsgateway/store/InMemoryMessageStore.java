package dev.smsgateway.store;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MessageStore} in memory, for one process. Expiry of idempotency claims, seen marks and parked reports is
 * checked on every read with the injected {@link Clock} (live while {@code now < expiresAt}); {@link #purgeExpired()}
 * frees the memory. Message records and provider links are kept until the process ends: call
 * {@link #forget(String)} for messages that no longer matter, or use a durable store with its own retention.
 * Counters live in this process only: gateways that must share a spending budget need a durable store.
 *
 * <p>Thread-safe: every compare-and-set runs inside one {@link ConcurrentHashMap} atomic operation.
 */
public final class InMemoryMessageStore implements MessageStore {

  private final Clock clock;
  private final Map<String, MessageRecord> records = new ConcurrentHashMap<>();
  private final Map<String, Expiring<String>> claims = new ConcurrentHashMap<>();
  private final Map<String, ProviderLink> links = new ConcurrentHashMap<>();
  private final Map<String, List<Expiring<DeliveryReport>>> parked = new ConcurrentHashMap<>();
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();
  private final Map<String, Expiring<Long>> counters = new ConcurrentHashMap<>();

  /** A store that reads the time from {@code clock}. */
  public InMemoryMessageStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  @Override
  public Optional<String> claimIdempotencyKey(String key, String messageId, Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    Instant now = clock.instant();
    Expiring<String> held = claims.compute(key, (k, current) ->
        current == null || !current.isLiveAt(now) ? new Expiring<>(messageId, expiresAt) : current);
    return held.value.equals(messageId) ? Optional.empty() : Optional.of(held.value);
  }

  @Override
  public void save(MessageRecord record) {
    Objects.requireNonNull(record, "record == null");
    records.put(record.messageId(), record);
  }

  @Override
  public Optional<MessageRecord> find(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return Optional.ofNullable(records.get(messageId));
  }

  @Override
  public void linkProviderIds(String messageId, String provider, List<String> providerMessageIds) {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageIds, "providerMessageIds == null");
    for (int i = 0; i < providerMessageIds.size(); i++) {
      links.put(linkKey(provider, providerMessageIds.get(i)), new ProviderLink(messageId, i));
    }
  }

  @Override
  public Optional<ProviderLink> findLink(String provider, String providerMessageId) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageId, "providerMessageId == null");
    return Optional.ofNullable(links.get(linkKey(provider, providerMessageId)));
  }

  @Override
  public Optional<MessageRecord> applyReport(String messageId, int part, DeliveryStatus status, String errorCode,
      Instant at) {
    return mergeReport(messageId, part, status, errorCode, at).map(ReportMerge::record);
  }

  /**
   * One atomic step: the merge and whether it changed the record, so that of concurrent identical reports exactly one
   * answers "changed" (the default reads, then applies).
   */
  @Override
  public Optional<ReportMerge> mergeReport(String messageId, int part, DeliveryStatus status, String errorCode,
      Instant at) {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(at, "at == null");
    boolean[] changed = new boolean[1];
    MessageRecord after = records.computeIfPresent(messageId, (id, r) -> {
      MessageRecord merged = r.merge(part, status, errorCode, at);
      changed[0] = !merged.equals(r);
      return merged;
    });
    return after == null ? Optional.empty() : Optional.of(new ReportMerge(after, changed[0]));
  }

  @Override
  public void park(DeliveryReport report, Instant expiresAt) {
    Objects.requireNonNull(report, "report == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    if (report.providerMessageId() == null) {
      throw new IllegalArgumentException("only reports with a provider message id can be parked");
    }
    parked.compute(linkKey(report.provider(), report.providerMessageId()), (k, list) -> {
      List<Expiring<DeliveryReport>> next = list == null ? new ArrayList<>(2) : new ArrayList<>(list);
      next.add(new Expiring<>(report, expiresAt));
      return next;
    });
  }

  @Override
  public List<DeliveryReport> takeParked(String provider, String providerMessageId) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageId, "providerMessageId == null");
    List<Expiring<DeliveryReport>> taken = parked.remove(linkKey(provider, providerMessageId));
    if (taken == null) {
      return List.of();
    }
    Instant now = clock.instant();
    List<DeliveryReport> live = new ArrayList<>(taken.size());
    for (Expiring<DeliveryReport> e : taken) {
      if (e.isLiveAt(now)) {
        live.add(e.value);
      }
    }
    live.sort(Comparator.comparing(DeliveryReport::occurredAt));
    return live;
  }

  @Override
  public boolean markSeen(String key, Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    Instant now = clock.instant();
    boolean[] first = new boolean[1];
    seen.compute(key, (k, current) -> {
      if (current != null && now.isBefore(current)) {
        return current;
      }
      first[0] = true;
      return expiresAt;
    });
    return first[0];
  }

  @Override
  public void unmarkSeen(String key) {
    Objects.requireNonNull(key, "key == null");
    seen.remove(key);
  }

  @Override
  public long addToCounter(String key, long delta, Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    Instant now = clock.instant();
    return counters.compute(key, (k, current) -> new Expiring<>(
        current == null || !current.isLiveAt(now) ? delta : current.value + delta, expiresAt)).value;
  }

  @Override
  public long counter(String key) {
    Objects.requireNonNull(key, "key == null");
    Expiring<Long> current = counters.get(key);
    return current == null || !current.isLiveAt(clock.instant()) ? 0 : current.value;
  }

  // ---- compliance retention (begin) ----
  /**
   * Drops every message record last updated before {@code cutoff}, with its provider-id links (the compliance
   * engine's retention calls this); returns how many records.
   */
  public int purgeUpdatedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    int dropped = 0;
    for (MessageRecord r : records.values()) {
      if (r.updatedAt().isBefore(cutoff) && records.remove(r.messageId(), r)) {
        links.values().removeIf(l -> l.messageId().equals(r.messageId()));
        dropped++;
      }
    }
    return dropped;
  }
  // ---- compliance retention (end) ----

  @Override
  public int purgeExpired() {
    Instant now = clock.instant();
    int removed = 0;
    for (Map.Entry<String, Expiring<Long>> e : counters.entrySet()) {
      if (!e.getValue().isLiveAt(now) && counters.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    for (Map.Entry<String, Expiring<String>> e : claims.entrySet()) {
      if (!e.getValue().isLiveAt(now) && claims.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    for (Map.Entry<String, Instant> e : seen.entrySet()) {
      if (!now.isBefore(e.getValue()) && seen.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    for (String key : parked.keySet()) {
      int[] count = new int[1];
      parked.computeIfPresent(key, (k, list) -> {
        List<Expiring<DeliveryReport>> live = new ArrayList<>(list.size());
        for (Expiring<DeliveryReport> e : list) {
          if (e.isLiveAt(now)) {
            live.add(e);
          } else {
            count[0]++;
          }
        }
        return live.isEmpty() ? null : live;
      });
      removed += count[0];
    }
    return removed;
  }

  /** Drops a message's record and its provider links; for applications that bound memory themselves. */
  public void forget(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    records.remove(messageId);
    links.values().removeIf(link -> link.messageId().equals(messageId));
  }

  @Override
  public String toString() {
    return "InMemoryMessageStore{records=" + records.size() + ", links=" + links.size() + ", claims=" + claims.size()
        + ", seen=" + seen.size() + ", parked=" + parked.size() + "}";
  }

  private static String linkKey(String provider, String providerMessageId) {
    return provider + '\u0000' + providerMessageId;
  }

  private static final class Expiring<T> {
    final T value;
    final Instant expiresAt;

    Expiring(T value, Instant expiresAt) {
      this.value = value;
      this.expiresAt = expiresAt;
    }

    boolean isLiveAt(Instant now) {
      return now.isBefore(expiresAt);
    }
  }
}
