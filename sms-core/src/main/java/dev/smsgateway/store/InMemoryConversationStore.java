package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ConversationStore} in memory, for one process. Conversations carry their own times, so the store needs
 * no clock.
 *
 * <p>Thread-safe: reads are lock-free; {@link #openIfAbsent} and {@link #update} are serialized on the store, which
 * keeps "at most one open conversation per customer and business number" exact (conversation changes are rare next
 * to messages).
 */
public final class InMemoryConversationStore implements ConversationStore {

  private static final Comparator<Conversation> OLDEST_FIRST =
      Comparator.comparing(Conversation::openedAt).thenComparing(Conversation::id);
  private static final Comparator<Conversation> IDLE_FIRST =
      Comparator.comparing(Conversation::lastActivityAt).thenComparing(Conversation::id);

  private final Map<String, Conversation> byId = new ConcurrentHashMap<>();
  private final Map<String, String> openByPair = new ConcurrentHashMap<>();
  private final Map<String, List<TranscriptEntry>> transcripts = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryConversationStore() {}

  /**
   * An empty store; {@code clock} is accepted for symmetry with the other in-memory stores and not consulted.
   */
  public InMemoryConversationStore(Clock clock) {
    Objects.requireNonNull(clock, "clock == null");
  }

  @Override
  public synchronized Conversation openIfAbsent(Conversation candidate) {
    Objects.requireNonNull(candidate, "candidate == null");
    if (!candidate.isOpen()) {
      throw new IllegalArgumentException("candidate must be open");
    }
    String pair = pairKey(candidate.customer(), candidate.business());
    String openId = openByPair.get(pair);
    if (openId != null) {
      Conversation open = byId.get(openId);
      if (open != null && open.isOpen()) {
        return open;
      }
    }
    if (byId.putIfAbsent(candidate.id(), candidate) != null) {
      throw new IllegalArgumentException("conversation id already used: " + candidate.id());
    }
    openByPair.put(pair, candidate.id());
    return candidate;
  }

  @Override
  public synchronized boolean update(Conversation updated) {
    Objects.requireNonNull(updated, "updated == null");
    Conversation current = byId.get(updated.id());
    if (current == null || current.version() != updated.version() - 1) {
      return false;
    }
    byId.put(updated.id(), updated);
    if (!updated.isOpen()) {
      openByPair.remove(pairKey(updated.customer(), updated.business()), updated.id());
    }
    return true;
  }

  @Override
  public Optional<Conversation> find(String id) {
    Objects.requireNonNull(id, "id == null");
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public Optional<Conversation> findOpen(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    String id = openByPair.get(pairKey(customer, business));
    Conversation c = id == null ? null : byId.get(id);
    return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
  }

  @Override
  public List<Conversation> findOpenByTarget(RouteTarget target) {
    Objects.requireNonNull(target, "target == null");
    List<Conversation> found = new ArrayList<>();
    for (Conversation c : byId.values()) {
      if (c.isOpen() && c.target().equals(target)) {
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
    for (Conversation c : byId.values()) {
      if (c.isOpen() && c.lastActivityAt().isBefore(cutoff)) {
        found.add(c);
      }
    }
    found.sort(IDLE_FIRST);
    return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
  }

  @Override
  public void append(TranscriptEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    transcripts.compute(entry.conversationId(), (id, list) -> {
      List<TranscriptEntry> next = list == null ? new ArrayList<>() : list;
      next.add(entry);
      return next;
    });
  }

  @Override
  public List<TranscriptEntry> transcript(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    AtomicReference<List<TranscriptEntry>> copy = new AtomicReference<>(List.of());
    transcripts.computeIfPresent(conversationId, (id, list) -> {
      copy.set(List.copyOf(list));
      return list;
    });
    return copy.get();
  }

  @Override
  public String toString() {
    return "InMemoryConversationStore{conversations=" + byId.size() + ", open=" + openByPair.size() + "}";
  }

  private static String pairKey(PhoneNumber customer, Originator business) {
    return customer.e164() + '|' + business.key();
  }
}
