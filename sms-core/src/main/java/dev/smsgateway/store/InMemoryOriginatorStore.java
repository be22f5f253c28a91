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
 * <p>Records are kept compactly, one map per business number. The customer's E.164 digits, as a {@code long} (E.164
 * has at most 15 digits and no leading zero, so the value is unique and reversible), live inside the record's slot,
 * which is both key and value of the map: no boxed key, no key string. A slot holds the agent id, the text, our
 * message id and the two times as epoch nanoseconds; the customer and business number objects are not stored, a hit
 * is rebuilt from the arguments of {@link #find}, which equal the stored ones by construction. (After a replacement
 * the map keeps the first slot as its key object until the record is removed or purged.)
 *
 * <p>Thread-safe: lock-free reads; writes for one key are atomic ({@link ConcurrentHashMap}).
 */
public final class InMemoryOriginatorStore implements OriginatorStore {

  private final Clock clock;
  private final Map<String, Map<Slot, Slot>> byBusiness = new ConcurrentHashMap<>();

  /** A store that reads the time from {@code clock}. */
  public InMemoryOriginatorStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  @Override
  public void put(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    Map<Slot, Slot> records = byBusiness.computeIfAbsent(record.business().key(), k -> new ConcurrentHashMap<>());
    Slot slot = new Slot(CustomerDigits.of(record.customer()), record.agentId(), record.outboundText(),
        record.messageId(), nanos(record.createdAt()), nanos(record.expiresAt()));
    records.put(slot, slot);
  }

  @Override
  public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Map<Slot, Slot> records = byBusiness.get(business.key());
    if (records == null) {
      return Optional.empty();
    }
    Slot slot = records.get(Slot.probe(CustomerDigits.of(customer)));
    if (slot == null) {
      return Optional.empty();
    }
    if (nanos(clock.instant()) >= slot.expiresAt) {
      removeExactly(records, slot);
      return Optional.empty();
    }
    return Optional.of(new OriginatorRecord(customer, business, slot.agentId, slot.outboundText, slot.messageId,
        instant(slot.createdAt), instant(slot.expiresAt)));
  }

  @Override
  public boolean remove(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Map<Slot, Slot> records = byBusiness.get(business.key());
    return records != null && records.remove(Slot.probe(CustomerDigits.of(customer))) != null;
  }

  @Override
  public int purgeExpired() {
    long now = nanos(clock.instant());
    int removed = 0;
    for (Map<Slot, Slot> records : byBusiness.values()) {
      for (Slot slot : records.values()) {
        if (now >= slot.expiresAt && removeExactly(records, slot)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** The number of records held, live or not yet purged. */
  public int size() {
    int n = 0;
    for (Map<Slot, Slot> records : byBusiness.values()) {
      n += records.size();
    }
    return n;
  }

  @Override
  public String toString() {
    return "InMemoryOriginatorStore{size=" + size() + "}";
  }

  /** Removes {@code slot} only if it is still the stored record (not a newer one for the same customer). */
  private static boolean removeExactly(Map<Slot, Slot> records, Slot slot) {
    boolean[] removed = new boolean[1];
    records.computeIfPresent(slot, (k, current) -> {
      if (current == slot) {
        removed[0] = true;
        return null;
      }
      return current;
    });
    return removed[0];
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** One record; equal to another slot of the same customer, so it serves as its own map key. Immutable. */
  private static final class Slot {
    final long customer;
    final String agentId;
    final String outboundText;
    final String messageId;
    final long createdAt;
    final long expiresAt;

    static Slot probe(long customer) {
      return new Slot(customer, null, null, null, 0, 0);
    }

    Slot(long customer, String agentId, String outboundText, String messageId, long createdAt, long expiresAt) {
      this.customer = customer;
      this.agentId = agentId;
      this.outboundText = outboundText;
      this.messageId = messageId;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slot other && other.customer == customer;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(customer);
    }
  }
}
