package dev.smsgateway.routing;

import dev.smsgateway.SmsValidationException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents and assignment: who is registered (capacity, queues, presence, idle since), the offers made to originating
 * agents (with their accept deadlines), and the assignment of queued conversations to the longest-idle available
 * agent with capacity. Thread-safe.
 */
final class Agents implements AgentDirectory {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

  /** A reply offered to the agent who originated its conversation, to accept before {@code deadline}. */
  record Offer(String agentId, Instant deadline) {}

  private final Map<String, AgentState> agents = new ConcurrentHashMap<>();
  private final Map<String, Offer> offers = new ConcurrentHashMap<>();
  private final ReentrantLock assignment = new ReentrantLock();
  private final ConversationStore conversations;
  private final ConversationWrites writes;
  private final Supplier<RoutingConfiguration> configuration;
  private final Outbox outbox;
  private final EventFanout events;
  private final Clock clock;

  Agents(ConversationStore conversations, ConversationWrites writes, Supplier<RoutingConfiguration> configuration,
      Outbox outbox, EventFanout events, Clock clock) {
    this.conversations = conversations;
    this.writes = writes;
    this.configuration = configuration;
    this.outbox = outbox;
    this.events = events;
    this.clock = clock;
  }

  /** The live registry, for the {@link ConversationMonitor}. */
  Map<String, AgentState> registry() {
    return agents;
  }

  int size() {
    return agents.size();
  }

  void register(String agentId, int maxConversations, Collection<String> queues) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(queues, "queues == null");
    String id = Checks.required("agentId", agentId);
    if (maxConversations < 1 || maxConversations > 1000) {
      throw new SmsValidationException("maxConversations", "must be 1-1000: " + maxConversations);
    }
    Set<String> q = new TreeSet<>();
    for (String queue : queues) {
      q.add(Checks.code("queues", queue));
    }
    AgentState agent = agents.compute(id, (k, old) -> old == null ? new AgentState(id, maxConversations, q, clock.instant())
        : old.with(maxConversations, q));
    log.info("agent {} registered: capacity {}, queues {}", id, maxConversations, q);
    if (agent.presence == Presence.AVAILABLE) {
      assignWaiting(q);
    }
  }

  void setPresence(String agentId, Presence presence) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(presence, "presence == null");
    AgentState agent = agents.get(agentId);
    if (agent == null) {
      throw new SmsValidationException("agentId", "is not a registered agent: '" + Checks.abbreviate(agentId) + "'");
    }
    Presence previous;
    synchronized (agent) {
      previous = agent.presence;
      agent.presence = presence;
      if (presence == Presence.AVAILABLE && previous != Presence.AVAILABLE) {
        agent.idleSince = clock.instant();
      }
    }
    log.info("agent {} is {}", agentId, presence);
    if (presence == Presence.AVAILABLE) {
      assignWaiting(agent.queues);
    }
  }

  @Override
  public Presence presence(String agentId) {
    AgentState agent = agents.get(agentId);
    return agent == null ? Presence.AWAY : agent.presence;
  }

  // ---------------------------------------------------------------------------------------------------- offers

  /** Offers the conversation to the agent until {@code deadline}. */
  void offer(String conversationId, String agentId, Instant deadline) {
    offers.put(conversationId, new Offer(agentId, deadline));
  }

  /** The conversation is no longer offered (accepted, answered, ended, queued). */
  void withdrawOffer(String conversationId) {
    offers.remove(conversationId);
  }

  /**
   * Takes the offers whose deadline has come by {@code now}: each is removed here and returned once, with its
   * conversation id.
   */
  List<Map.Entry<String, Offer>> takeExpiredOffers(Instant now) {
    List<Map.Entry<String, Offer>> expired = new ArrayList<>();
    for (Map.Entry<String, Offer> e : new ArrayList<>(offers.entrySet())) {
      Offer offer = e.getValue();
      if (now.isBefore(offer.deadline())) {
        continue;
      }
      if (offers.remove(e.getKey(), offer)) {
        expired.add(Map.entry(e.getKey(), offer));
      }
    }
    return expired;
  }

  // ---------------------------------------------------------------------------------------------------- assignment

  /** Assigns {@code c} (queued) to the longest-idle available agent of its queue; returns it as it now stands. */
  Conversation tryAssign(Conversation c, Mapping mapping, Set<String> excluded) {
    if (!(c.target() instanceof RouteTarget.Queue q)) {
      return c;
    }
    assignment.lock();
    try {
      AgentState agent = pickAgent(q.queueCode(), excluded);
      if (agent == null) {
        log.info("conversation {} waits in queue {}: no available agent has capacity", c.id(), q.queueCode());
        return c;
      }
      Conversation assigned = writes.update(c, x -> x.isOpen() && x.state() == Conversation.State.QUEUED
          ? x.assignedTo(agent.id, clock.instant()) : null);
      if (assigned == null) {
        return conversations.find(c.id()).orElse(c);
      }
      touch(agent.id);
      log.info("conversation {} from queue {} assigned to agent {}", c.id(), q.queueCode(), agent.id);
      outbox.systemMessage(assigned, mapping, mapping.chatControl().agentJoinedMessage());
      events.assigned(assigned, agent.id, null);
      return assigned;
    } finally {
      assignment.unlock();
    }
  }

  /** Assigns waiting conversations of these queues, oldest first, while agents have capacity. */
  int assignWaiting(Set<String> queues) {
    int assigned = 0;
    for (String queue : queues) {
      List<Conversation> waiting = conversations.findOpenByTarget(new RouteTarget.Queue(queue));
      for (Conversation c : waiting) {
        if (c.state() != Conversation.State.QUEUED) {
          continue;
        }
        Mapping mapping = configuration.get().mapping(c.mappingCode()).orElse(null);
        if (mapping == null) {
          continue;
        }
        Conversation after = tryAssign(c, mapping, Set.of());
        if (after.state() != Conversation.State.ASSIGNED) {
          break;
        }
        assigned++;
      }
    }
    return assigned;
  }

  /** Assigns waiting conversations of the queues the agent serves (after the agent freed a slot). */
  void assignWaitingFor(String agentId) {
    assignWaiting(queuesOf(agentId));
  }

  /** Every queue a registered agent serves. */
  void addQueuesTo(Set<String> queues) {
    agents.values().forEach(a -> queues.addAll(a.queues));
  }

  private AgentState pickAgent(String queue, Set<String> excluded) {
    AgentState best = null;
    for (AgentState a : agents.values()) {
      if (a.presence != Presence.AVAILABLE || !a.queues.contains(queue) || excluded.contains(a.id)) {
        continue;
      }
      if (conversations.findOpenByTarget(new RouteTarget.Agent(a.id)).size() >= a.capacity) {
        continue;
      }
      if (best == null || a.idleSince.isBefore(best.idleSince)
          || (a.idleSince.equals(best.idleSince) && a.id.compareTo(best.id) < 0)) {
        best = a;
      }
    }
    return best;
  }

  /** The agent got work or freed a slot now: idle since now (queues pick the longest idle). */
  void touch(String agentId) {
    AgentState a = agents.get(agentId);
    if (a != null) {
      a.idleSince = clock.instant();
    }
  }

  private Set<String> queuesOf(String agentId) {
    AgentState a = agents.get(agentId);
    return a == null ? Set.of() : a.queues;
  }
}
