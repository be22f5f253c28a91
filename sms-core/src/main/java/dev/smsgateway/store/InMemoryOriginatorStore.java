package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link OriginatorStore} in memory, for one process. TTL is enforced on every read with the injected
 * {@link Clock}; expired records are also dropped when they are read and by {@link #purgeExpired()}.
 *
 * <p>Records are kept compactly: one map per business number, keyed by the customer's E.164 digits as a
 * {@code long} (E.164 has at most 15 digits and no leading zero, so the value is unique and reversible), holding a
 * small slot with the agent id, the text, our message id and the two times as epoch nanoseconds. The customer and
 * business number objects are not stored: a hit is rebuilt from the arguments of {@link #find}, which are equal to
 * the stored ones by construction.
 *
 * <p>Thread-safe: lock-free reads; writes for one key are atomic ({@link ConcurrentHashMap}).
 */
public final class InMemoryOriginatorStore implements OriginatorStore {

  private final Clock clock;
  private final Map<String, Map<Long, Slot>> byBusiness = new ConcurrentHashMap<>();

  /** A store that reads the time from {@code clock}. */
  public InMemoryOriginatorStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  @Override
  public void put(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    Map<Long, Slot> records = byBusiness.computeIfAbsent(record.business().key(), k -> new ConcurrentHashMap<>());
    records.put(customerKey(record.customer()), new Slot(record.agentId(), record.outboundText(), record.messageId(),
        nanos(record.createdAt()), nanos(record.expiresAt())));
  }

  @Override
  public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Map<Long, Slot> records = byBusiness.get(business.key());
    if (records == null) {
      return Optional.empty();
    }
    Long key = customerKey(customer);
    Slot slot = records.get(key);
    if (slot == null) {
      return Optional.empty();
    }
    if (nanos(clock.instant()) >= slot.expiresAt) {
      records.remove(key, slot);
      return Optional.empty();
    }
    return Optional.of(new OriginatorRecord(customer, business, slot.agentId, slot.outboundText, slot.messageId,
        instant(slot.createdAt), instant(slot.expiresAt)));
  }

  @Override
  public boolean remove(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Map<Long, Slot> records = byBusiness.get(business.key());
    return records != null && records.remove(customerKey(customer)) != null;
  }

  @Override
  public int purgeExpired() {
    long now = nanos(clock.instant());
    int removed = 0;
    for (Map<Long, Slot> records : byBusiness.values()) {
      for (Map.Entry<Long, Slot> e : records.entrySet()) {
        if (now >= e.getValue().expiresAt && records.remove(e.getKey(), e.getValue())) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** The number of records held, live or not yet purged. */
  public int size() {
    int n = 0;
    for (Map<Long, Slot> records : byBusiness.values()) {
      n += records.size();
    }
    return n;
  }

  @Override
  public String toString() {
    return "InMemoryOriginatorStore{size=" + size() + "}";
  }

  private static Long customerKey(PhoneNumber customer) {
    return Long.parseLong(customer.e164(), 1, customer.e164().length(), 10);
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static final class Slot {
    final String agentId;
    final String outboundText;
    final String messageId;
    final long createdAt;
    final long expiresAt;

    Slot(String agentId, String outboundText, String messageId, long createdAt, long expiresAt) {
      this.agentId = agentId;
      this.outboundText = outboundText;
      this.messageId = messageId;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
    }
  }
}
