package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ConversationStore} in memory, for one process. Conversations carry their own times, so the store needs
 * no clock.
 *
 * <p>Layout, chosen for the router's path (find the open conversation, touch it, append a line): each conversation id
 * has one entry holding the current {@link Conversation} and its transcript. The open conversations are indexed per
 * business number key by the customer's E.164 digits as a {@code long} (unique and reversible: at most 15 digits, no
 * leading zero), with the entry as its own map key, so a lookup builds no key string; {@link #update} of an open
 * conversation finds its entry through that index, which the preceding {@link #findOpen} has just brought into the CPU
 * cache. A transcript is a chain of lines, so an append writes only the entry. Ended conversations stay findable by
 * id; nothing is ever evicted, as in the other in-memory stores.
 *
 * <p>Thread-safe: reads are lock-free; {@link #openIfAbsent} is atomic per (customer, business number) and
 * {@link #update} is a compare-and-set on the entry, which keeps "at most one open conversation per customer and
 * business number" and "exactly one of several updates from the same version wins" exact; appends to one transcript
 * are serialized on its entry.
 */
public final class InMemoryConversationStore implements ConversationStore {

  private static final Comparator<Conversation> OLDEST_FIRST =
      Comparator.comparing(Conversation::openedAt).thenComparing(Conversation::id);
  private static final Comparator<Conversation> IDLE_FIRST =
      Comparator.comparing(Conversation::lastActivityAt).thenComparing(Conversation::id);

  /** Every conversation id ever opened, and ids that only have transcript lines. */
  private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
  /** Business number key to (customer digits to the entry of the open conversation). */
  private final ConcurrentHashMap<String, ConcurrentHashMap<CustomerKey, Entry>> openByBusiness =
      new ConcurrentHashMap<>();
  /**
   * The entry this thread last found, opened or updated: a router appends to the conversation it just looked at, and
   * this saves that append the id lookup (a string hash and two cache misses in a large store).
   */
  private final ThreadLocal<Entry> recent = new ThreadLocal<>();

  /** An empty store. */
  public InMemoryConversationStore() {}

  /**
   * An empty store; {@code clock} is accepted for symmetry with the other in-memory stores and not consulted.
   */
  public InMemoryConversationStore(Clock clock) {
    Objects.requireNonNull(clock, "clock == null");
  }

  @Override
  public Conversation openIfAbsent(Conversation candidate) {
    Objects.requireNonNull(candidate, "candidate == null");
    if (!candidate.isOpen()) {
      throw new IllegalArgumentException("candidate must be open");
    }
    ConcurrentHashMap<CustomerKey, Entry> open =
        openByBusiness.computeIfAbsent(candidate.business().key(), k -> new ConcurrentHashMap<>());
    long customer = digits(candidate.customer());
    Entry existing = open.get(new CustomerKey(customer));
    if (existing != null) {
      Conversation c = existing.conversation;
      if (c.isOpen()) {
        recent.set(existing);
        return c;
      }
    }
    Entry fresh = new Entry(candidate.id(), customer, candidate);
    // Atomic per pair: the bin of this customer is locked while the id is claimed.
    Entry winner = open.compute(fresh, (k, current) -> {
      if (current != null && current.conversation.isOpen()) {
        return current;
      }
      claimId(fresh);
      return fresh;
    });
    recent.set(winner);
    return winner.conversation;
  }

  /** Stores {@code fresh} under its id, adopting lines appended before it opened; fails if the id is taken. */
  private void claimId(Entry fresh) {
    Entry previous = byId.putIfAbsent(fresh.id, fresh);
    if (previous == null) {
      return;
    }
    if (previous.conversation != null) {
      throw new IllegalArgumentException("conversation id already used: " + fresh.id);
    }
    // Lines were appended to this id before the conversation existed: keep them, and send later appends there.
    previous.adoptInto(fresh);
    byId.put(fresh.id, fresh);
  }

  @Override
  public boolean update(Conversation updated) {
    Objects.requireNonNull(updated, "updated == null");
    Entry entry = openEntry(updated.customer(), updated.business());
    if (entry == null || !entry.id.equals(updated.id())) {
      entry = byId.get(updated.id());
    }
    if (entry == null) {
      return false;
    }
    while (true) {
      Conversation current = entry.conversation;
      if (current == null || current.version() != updated.version() - 1) {
        return false;
      }
      if (CONVERSATION.compareAndSet(entry, current, updated)) {
        break;
      }
    }
    recent.set(entry);
    if (!updated.isOpen()) {
      ConcurrentHashMap<CustomerKey, Entry> open = openByBusiness.get(updated.business().key());
      if (open != null) {
        Entry ended = entry;
        open.computeIfPresent(ended, (k, current) -> current == ended ? null : current);
      }
    }
    return true;
  }

  @Override
  public Optional<Conversation> find(String id) {
    Objects.requireNonNull(id, "id == null");
    Entry entry = byId.get(id);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.conversation);
  }

  @Override
  public Optional<Conversation> findOpen(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Entry entry = openEntry(customer, business);
    Conversation c = entry == null ? null : entry.conversation;
    if (c == null || !c.isOpen()) {
      return Optional.empty();
    }
    recent.set(entry);
    return Optional.of(c);
  }

  private Entry openEntry(PhoneNumber customer, Originator business) {
    ConcurrentHashMap<CustomerKey, Entry> open = openByBusiness.get(business.key());
    return open == null ? null : open.get(new CustomerKey(digits(customer)));
  }

  @Override
  public List<Conversation> findOpenByTarget(RouteTarget target) {
    Objects.requireNonNull(target, "target == null");
    List<Conversation> found = new ArrayList<>();
    for (Entry e : byId.values()) {
      Conversation c = e.conversation;
      if (c != null && c.isOpen() && c.target().equals(target)) {
        found.add(c);
      }
    }
    found.sort(OLDEST_FIRST);
    return found;
  }

  @Override
  public List<Conversation> findIdle(Instant cutoff, int limit) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    List<Conversation> found = new ArrayList<>();
    for (Entry e : byId.values()) {
      Conversation c = e.conversation;
      if (c != null && c.isOpen() && c.lastActivityAt().isBefore(cutoff)) {
        found.add(c);
      }
    }
    found.sort(IDLE_FIRST);
    return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
  }

  @Override
  public void append(TranscriptEntry line) {
    Objects.requireNonNull(line, "entry == null");
    Entry entry = recent.get();
    // Same id object (the conversation's own id, as routers pass it): no lookup. Any other string: look it up.
    if (entry == null || entry.id != line.conversationId()) {
      entry = byId.get(line.conversationId());
    }
    if (entry == null) {
      entry = byId.computeIfAbsent(line.conversationId(), Entry::linesOnly);
    }
    entry.add(line);
  }

  @Override
  public List<TranscriptEntry> transcript(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Entry entry = byId.get(conversationId);
    return entry == null ? List.of() : entry.copy();
  }

  @Override
  public String toString() {
    int conversations = 0;
    for (Entry e : byId.values()) {
      if (e.conversation != null) {
        conversations++;
      }
    }
    int open = 0;
    for (ConcurrentHashMap<CustomerKey, Entry> m : openByBusiness.values()) {
      open += m.size();
    }
    return "InMemoryConversationStore{conversations=" + conversations + ", open=" + open + "}";
  }

  private static long digits(PhoneNumber customer) {
    String e164 = customer.e164();
    return Long.parseLong(e164, 1, e164.length(), 10);
  }

  private static final VarHandle CONVERSATION;

  static {
    try {
      CONVERSATION = MethodHandles.lookup().findVarHandle(Entry.class, "conversation", Conversation.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A customer's digits; equal to any key (or entry) of the same customer. Immutable. */
  private static class CustomerKey {
    final long customer;

    CustomerKey(long customer) {
      this.customer = customer;
    }

    @Override
    public final boolean equals(Object o) {
      return o instanceof CustomerKey k && k.customer == customer;
    }

    @Override
    public final int hashCode() {
      return Long.hashCode(customer);
    }
  }

  /**
   * One conversation id: the current conversation (null while the id only has transcript lines) and its transcript
   * lines. Serves as its own key in the open index. Thread-safe: the conversation is swapped by compare-and-set; the
   * lines are guarded by the entry's monitor.
   */
  private static final class Entry extends CustomerKey {
    final String id;
    volatile Conversation conversation;
    /** The newest line; each points to the one before, so an append writes only here. */
    private Line last;
    private int lines;
    /** Set when a conversation opened with this (lines-only) id: later appends go there. */
    private Entry adoptedBy;

    Entry(String id, long customer, Conversation conversation) {
      super(customer);
      this.id = id;
      this.conversation = conversation;
    }

    static Entry linesOnly(String id) {
      return new Entry(id, -1, null);
    }

    void add(TranscriptEntry line) {
      Entry target = this;
      while (true) {
        synchronized (target) {
          if (target.adoptedBy == null) {
            target.last = new Line(line, target.last);
            target.lines++;
            return;
          }
          target = target.adoptedBy;
        }
      }
    }

    /** Moves this entry's lines to {@code fresh} (not yet visible to other threads) and forwards later appends. */
    synchronized void adoptInto(Entry fresh) {
      for (TranscriptEntry line : copy()) {
        fresh.add(line);
      }
      adoptedBy = fresh;
    }

    synchronized List<TranscriptEntry> copy() {
      if (lines == 0) {
        return List.of();
      }
      TranscriptEntry[] inOrder = new TranscriptEntry[lines];
      Line l = last;
      for (int i = lines - 1; i >= 0; i--) {
        inOrder[i] = l.entry;
        l = l.previous;
      }
      return List.of(inOrder);
    }
  }

  /** A transcript line and the one before it. Immutable. */
  private record Line(TranscriptEntry entry, Line previous) {}
}
