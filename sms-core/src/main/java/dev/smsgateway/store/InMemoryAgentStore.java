package dev.smsgateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link AgentStore} in this JVM's memory: the default, for one instance. Every method holds one lock, so each call is
 * atomic. Lost when the JVM stops; several instances need the JDBC or DynamoDB store.
 *
 * <p>Thread-safe.
 */
public final class InMemoryAgentStore implements AgentStore {

  /**
   * One agent's state, changed in place: holding a conversation is O(1) however many the agent holds (a copied slot
   * map made each hold O(n), and a busy originating agent's conversations O(n^2)). The {@link AgentRecord} callers see
   * is built when read and kept until the next change.
   */
  private static final class Agent {
    final String agentId;
    int capacity;
    Set<String> queues;
    String presence;
    Instant idleSince;
    final Map<String, Instant> slots = new HashMap<>();
    AgentRecord snapshot;

    Agent(String agentId, int capacity, Set<String> queues, String presence, Instant idleSince) {
      this.agentId = agentId;
      this.capacity = capacity;
      this.queues = Set.copyOf(queues);
      this.presence = presence;
      this.idleSince = idleSince;
    }

    AgentRecord record() {
      AgentRecord r = snapshot;
      if (r == null) {
        r = new AgentRecord(agentId, capacity, queues, presence, idleSince, slots);
        snapshot = r;
      }
      return r;
    }

    boolean canTakeMore() {
      return AgentRecord.AVAILABLE.equals(presence) && slots.size() < capacity;
    }

    void changed() {
      snapshot = null;
    }
  }

  private final Map<String, Agent> agents = new TreeMap<>();
  private final Map<String, AgentOffer> offers = new HashMap<>();
  private final Map<String, Instant> leases = new HashMap<>();

  @Override
  public synchronized AgentRecord register(String agentId, int capacity, Set<String> queues, Instant now) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(queues, "queues == null");
    Objects.requireNonNull(now, "now == null");
    Agent a = agents.get(agentId);
    if (a == null) {
      a = new Agent(agentId, capacity, queues, AgentRecord.OFFLINE, now);
      agents.put(agentId, a);
    } else {
      a.capacity = capacity;
      a.queues = Set.copyOf(queues);
      a.changed();
    }
    return a.record();
  }

  @Override
  public synchronized Optional<AgentRecord> find(String agentId) {
    Agent a = agents.get(Objects.requireNonNull(agentId, "agentId == null"));
    return a == null ? Optional.empty() : Optional.of(a.record());
  }

  @Override
  public synchronized List<AgentRecord> agents() {
    List<AgentRecord> all = new ArrayList<>(agents.size());
    for (Agent a : agents.values()) {
      all.add(a.record());
    }
    return List.copyOf(all);
  }

  @Override
  public synchronized Optional<String> setPresence(String agentId, String presence, Instant now) {
    Objects.requireNonNull(presence, "presence == null");
    Agent a = agents.get(Objects.requireNonNull(agentId, "agentId == null"));
    if (a == null) {
      return Optional.empty();
    }
    String before = a.presence;
    if (AgentRecord.AVAILABLE.equals(presence) && !AgentRecord.AVAILABLE.equals(before)) {
      a.idleSince = now;
    }
    a.presence = presence;
    a.changed();
    return Optional.of(before);
  }

  @Override
  public synchronized void touch(String agentId, Instant now) {
    Agent a = agents.get(Objects.requireNonNull(agentId, "agentId == null"));
    if (a != null) {
      a.idleSince = now;
      a.changed();
    }
  }

  @Override
  public synchronized Optional<String> claim(String queue, String conversationId, Collection<String> excluded,
      Instant at) {
    Objects.requireNonNull(queue, "queue == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Agent best = null;
    for (Agent a : agents.values()) {
      if (!a.canTakeMore() || !a.queues.contains(queue) || excluded.contains(a.agentId)
          || a.slots.containsKey(conversationId) || lapsed(a.agentId, at)) {
        continue;
      }
      if (best == null || a.idleSince.isBefore(best.idleSince)) {
        best = a; // ties: the smaller id, which the sorted map gives first
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    addSlot(best, conversationId, at);
    return Optional.of(best.agentId);
  }

  @Override
  public synchronized boolean hold(String agentId, String conversationId, Instant at) {
    Agent a = agents.get(Objects.requireNonNull(agentId, "agentId == null"));
    if (a == null || a.slots.containsKey(Objects.requireNonNull(conversationId, "conversationId == null"))) {
      return false;
    }
    addSlot(a, conversationId, at);
    return true;
  }

  private static void addSlot(Agent a, String conversationId, Instant at) {
    a.slots.put(conversationId, Objects.requireNonNull(at, "at == null"));
    a.changed();
  }

  @Override
  public synchronized boolean release(String agentId, String conversationId) {
    return releaseIf(agentId, conversationId, null);
  }

  @Override
  public synchronized boolean releaseIfClaimedAt(String agentId, String conversationId, Instant claimedAt) {
    return releaseIf(agentId, conversationId, Objects.requireNonNull(claimedAt, "claimedAt == null"));
  }

  private boolean releaseIf(String agentId, String conversationId, Instant claimedAt) {
    Agent a = agents.get(Objects.requireNonNull(agentId, "agentId == null"));
    Instant held = a == null ? null : a.slots.get(Objects.requireNonNull(conversationId, "conversationId == null"));
    if (held == null || (claimedAt != null && !held.equals(claimedAt))) {
      return false;
    }
    a.slots.remove(conversationId);
    a.changed();
    return true;
  }

  @Override
  public synchronized void offer(AgentOffer offer) {
    offers.put(offer.conversationId(), offer);
  }

  @Override
  public synchronized boolean withdrawOffer(String conversationId) {
    return offers.remove(Objects.requireNonNull(conversationId, "conversationId == null")) != null;
  }

  @Override
  public synchronized Optional<AgentOffer> findOffer(String conversationId) {
    return Optional.ofNullable(offers.get(Objects.requireNonNull(conversationId, "conversationId == null")));
  }

  @Override
  public synchronized List<AgentOffer> takeDueOffers(Instant now, Duration lease, int limit) {
    List<AgentOffer> due = new ArrayList<>();
    for (AgentOffer o : offers.values()) {
      if (!o.deadline().isAfter(now)) {
        due.add(o);
      }
    }
    due.sort(Comparator.comparing(AgentOffer::deadline).thenComparing(AgentOffer::conversationId));
    List<AgentOffer> taken = due.size() > limit ? due.subList(0, limit) : due;
    for (AgentOffer o : taken) {
      offers.put(o.conversationId(), new AgentOffer(o.conversationId(), o.agentId(), now.plus(lease)));
    }
    return List.copyOf(taken);
  }

  private boolean lapsed(String agentId, Instant at) {
    Instant until = leases.get(agentId);
    return until != null && !until.isAfter(at);
  }

  @Override
  public synchronized boolean renewPresence(String agentId, Instant until) {
    Objects.requireNonNull(until, "until == null");
    if (!agents.containsKey(Objects.requireNonNull(agentId, "agentId == null"))) {
      return false;
    }
    leases.put(agentId, until);
    return true;
  }

  @Override
  public synchronized Optional<Instant> presenceLease(String agentId) {
    return Optional.ofNullable(leases.get(Objects.requireNonNull(agentId, "agentId == null")));
  }

  @Override
  public synchronized List<String> takeLapsedAgents(Instant now, int limit) {
    Objects.requireNonNull(now, "now == null");
    List<Map.Entry<String, Instant>> lapsed = new ArrayList<>();
    for (Map.Entry<String, Instant> e : leases.entrySet()) {
      if (!e.getValue().isAfter(now)) {
        lapsed.add(e);
      }
    }
    lapsed.sort(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<String> taken = new ArrayList<>();
    for (Map.Entry<String, Instant> e : lapsed.subList(0, Math.min(limit, lapsed.size()))) {
      String id = e.getKey();
      leases.remove(id);
      Agent a = agents.get(id);
      a.presence = AgentRecord.OFFLINE;
      a.changed();
      taken.add(id);
    }
    return taken;
  }

  @Override
  public synchronized String toString() {
    return "InMemoryAgentStore{agents=" + agents.size() + ", offers=" + offers.size() + "}";
  }
}
