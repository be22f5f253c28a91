package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <p>Records are kept compactly, one hash table per business number. The customer's E.164 digits, as a {@code long}
 * (E.164 has at most 15 digits and no leading zero, so the value is unique and reversible), live inside the record's
 * slot, and the slot is the table's chain node: no map entry object, no boxed key, no key string (about 56 bytes a
 * record plus the table's 4-byte bins; a {@code ConcurrentHashMap} adds a 32-byte node to each). A slot holds the
 * agent id, the text, our message id and the two times as epoch nanoseconds; the customer and business number
 * objects are not stored, a hit is rebuilt from the arguments of {@link #find}, which equal the stored ones by
 * construction.
 *
 * <p>Thread-safe: reads take no lock (slots and their chains are immutable; a table's bins are read with acquire and
 * written with release semantics, so a read that starts after a write returns sees it); writes to one business
 * number's table are serialized by its monitor, and a write replaces the chain prefix it changes. Growing a table
 * copies its slots into a new one, so a read in progress keeps walking the old, unchanged chains.
 *
 * <p>Agent ids are kept once per store (the first {@value #AGENT_IDS} distinct ids; later ones as given): a contact
 * center has few agents and many records, so records of one agent share one id string, which saves its bytes per
 * record and lets a reader of the id (a router looking the agent up) find it in cache rather than in the record's
 * own copy. Records read back carry an equal string.
 */
public final class InMemoryOriginatorStore implements OriginatorStore {

  private final Clock clock;
  private final Map<String, Table> byBusiness = new ConcurrentHashMap<>();
  /** How many distinct agent ids are kept once; more are stored as given. */
  static final int AGENT_IDS = 4096;
  /** Each agent id once (an id maps to itself). */
  private final ConcurrentHashMap<String, String> agentIds = new ConcurrentHashMap<>();

  /** A store that reads the time from {@code clock}. */
  public InMemoryOriginatorStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  @Override
  public void put(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    Table records = byBusiness.computeIfAbsent(record.business().key(), k -> new Table());
    records.put(CustomerDigits.of(record.customer()), agentId(record.agentId()), record.outboundText(),
        record.messageId(), nanos(record.createdAt()), nanos(record.expiresAt()));
  }

  /** The store's copy of {@code agentId}, kept from now on if there is room; {@code agentId} itself otherwise. */
  private String agentId(String agentId) {
    String kept = agentIds.get(agentId);
    if (kept != null) {
      return kept;
    }
    if (agentIds.size() >= AGENT_IDS) {
      return agentId;
    }
    kept = agentIds.putIfAbsent(agentId, agentId);
    return kept != null ? kept : agentId;
  }

  @Override
  public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Table records = byBusiness.get(business.key());
    if (records == null) {
      return Optional.empty();
    }
    Slot slot = records.get(CustomerDigits.of(customer));
    if (slot == null) {
      return Optional.empty();
    }
    if (nanos(clock.instant()) >= slot.expiresAt) {
      records.removeExactly(slot);
      return Optional.empty();
    }
    return Optional.of(new OriginatorRecord(customer, business, slot.agentId, slot.outboundText, slot.messageId,
        instant(slot.createdAt), instant(slot.expiresAt)));
  }

  @Override
  public boolean remove(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Table records = byBusiness.get(business.key());
    return records != null && records.remove(CustomerDigits.of(customer));
  }

  @Override
  public int purgeExpired() {
    long now = nanos(clock.instant());
    int removed = 0;
    for (Table records : byBusiness.values()) {
      removed += records.removeExpired(now);
    }
    return removed;
  }

  /** The number of records held, live or not yet purged. */
  public int size() {
    int n = 0;
    for (Table records : byBusiness.values()) {
      n += records.size();
    }
    return n;
  }

  @Override
  public String toString() {
    return "InMemoryOriginatorStore{size=" + size() + "}";
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /**
   * One business number's records: a chained hash table whose nodes are the immutable slots. Reads are lock-free;
   * writes hold the table's monitor.
   */
  static final class Table {
    private static final VarHandle BINS = MethodHandles.arrayElementVarHandle(Slot[].class);
    private static final int INITIAL_BINS = 16;

    private volatile Slot[] bins = new Slot[INITIAL_BINS];
    private int size; // guarded by this

    Slot get(long customer) {
      Slot[] b = bins;
      for (Slot s = (Slot) BINS.getAcquire(b, index(customer, b.length)); s != null; s = s.next) {
        if (s.customer == customer) {
          return s;
        }
      }
      return null;
    }

    synchronized void put(long customer, String agentId, String outboundText, String messageId, long createdAt,
        long expiresAt) {
      Slot[] b = bins;
      int i = index(customer, b.length);
      Slot head = b[i];
      Slot rest = without(head, customer);
      if (rest == head) { // without() returns the same chain only when the customer is not in it
        size++;
      }
      BINS.setRelease(b, i, new Slot(customer, agentId, outboundText, messageId, createdAt, expiresAt, rest));
      if (size > b.length - (b.length >>> 2)) {
        grow(b);
      }
    }

    synchronized boolean remove(long customer) {
      Slot[] b = bins;
      int i = index(customer, b.length);
      Slot head = b[i];
      Slot rest = without(head, customer);
      if (rest == head) {
        return false;
      }
      BINS.setRelease(b, i, rest);
      size--;
      return true;
    }

    /** Removes {@code slot} only if it is still the stored record (not a newer one for the same customer). */
    synchronized boolean removeExactly(Slot slot) {
      Slot[] b = bins;
      int i = index(slot.customer, b.length);
      for (Slot s = b[i]; s != null; s = s.next) {
        if (s == slot) {
          BINS.setRelease(b, i, without(b[i], slot.customer));
          size--;
          return true;
        }
      }
      return false;
    }

    synchronized int removeExpired(long now) {
      Slot[] b = bins;
      int removed = 0;
      for (int i = 0; i < b.length; i++) {
        int expired = 0;
        for (Slot s = b[i]; s != null; s = s.next) {
          if (now >= s.expiresAt) {
            expired++;
          }
        }
        if (expired > 0) {
          Slot kept = null;
          for (Slot s = b[i]; s != null; s = s.next) {
            if (now < s.expiresAt) {
              kept = s.withNext(kept);
            }
          }
          BINS.setRelease(b, i, kept);
          removed += expired;
        }
      }
      size -= removed;
      return removed;
    }

    synchronized int size() {
      return size;
    }

    /** Copies every slot into a table twice as large, then publishes it; readers of the old one are unaffected. */
    private void grow(Slot[] old) {
      Slot[] b = new Slot[old.length * 2];
      for (Slot head : old) {
        for (Slot s = head; s != null; s = s.next) {
          int i = index(s.customer, b.length);
          b[i] = s.withNext(b[i]);
        }
      }
      bins = b;
    }

    /** The chain without {@code customer}'s slot: the same chain if absent, else a copy of the prefix before it. */
    private static Slot without(Slot head, long customer) {
      if (head == null) {
        return null;
      }
      if (head.customer == customer) {
        return head.next;
      }
      Slot rest = without(head.next, customer);
      return rest == head.next ? head : head.withNext(rest);
    }

    /** Fibonacci hashing: the top bits of the product, which depend on all of the digits (dense in the low bits). */
    private static int index(long customer, int length) {
      return (int) ((customer * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(length)));
    }
  }

  /** One record and the next in its chain. Immutable. */
  static final class Slot {
    final long customer;
    final String agentId;
    final String outboundText;
    final String messageId;
    final long createdAt;
    final long expiresAt;
    final Slot next;

    Slot(long customer, String agentId, String outboundText, String messageId, long createdAt, long expiresAt,
        Slot next) {
      this.customer = customer;
      this.agentId = agentId;
      this.outboundText = outboundText;
      this.messageId = messageId;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
      this.next = next;
    }

    Slot withNext(Slot next) {
      return new Slot(customer, agentId, outboundText, messageId, createdAt, expiresAt, next);
    }
  }
}
