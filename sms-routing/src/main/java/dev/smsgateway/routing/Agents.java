package dev.smsgateway.routing;

import dev.smsgateway.SmsValidationException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.AgentOffer;
import dev.smsgateway.store.AgentRecord;
import dev.smsgateway.store.AgentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents and assignment: who is registered (capacity, queues, presence, idle since), the conversations each holds,
 * the offers made to originating agents (with their accept deadlines), and the assignment of queued conversations to
 * the longest-idle available agent with capacity. All of it lives in the {@link AgentStore}, so several instances
 * sharing one store share their agents; the store makes each claim of a slot atomic across them. Thread-safe.
 */
final class Agents implements AgentDirectory {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  /** A slot claimed for a conversation still queued this long after is a claim that never finished (a crash). */
  static final Duration CLAIM_GRACE = Duration.ofMinutes(1);

  private final AgentStore store;
  private final ConversationStore conversations;
  private final ConversationWrites writes;
  private final Supplier<RoutingConfiguration> configuration;
  private final Outbox outbox;
  private final EventFanout events;
  private final Clock clock;

  Agents(AgentStore store, ConversationStore conversations, ConversationWrites writes,
      Supplier<RoutingConfiguration> configuration, Outbox outbox, EventFanout events, Clock clock) {
    this.store = store;
    this.conversations = conversations;
    this.writes = writes;
    this.configuration = configuration;
    this.outbox = outbox;
    this.events = events;
    this.clock = clock;
  }

  AgentStore store() {
    return store;
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
    AgentRecord agent = store.register(id, maxConversations, q, clock.instant());
    log.info("agent {} registered: capacity {}, queues {}", id, maxConversations, q);
    reconcile(agent);
    if (AgentRecord.AVAILABLE.equals(agent.presence())) {
      assignWaiting(q);
    }
  }

  void setPresence(String agentId, Presence presence) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(presence, "presence == null");
    if (store.setPresence(agentId, presence.name(), clock.instant()).isEmpty()) {
      throw new SmsValidationException("agentId", "is not a registered agent: '" + Checks.abbreviate(agentId) + "'");
    }
    log.info("agent {} is {}", agentId, presence);
    if (presence == Presence.AVAILABLE) {
      assignWaiting(queuesOf(agentId));
    }
  }

  @Override
  public Presence presence(String agentId) {
    return store.find(agentId).map(a -> presenceOf(a.presence())).orElse(Presence.AWAY);
  }

  /** A stored presence; one this release does not know (written by a newer one) takes no queue work: AWAY. */
  static Presence presenceOf(String stored) {
    for (Presence p : Presence.values()) {
      if (p.name().equals(stored)) {
        return p;
      }
    }
    return Presence.AWAY;
  }

  // ---------------------------------------------------------------------------------------------------- load

  /** The agent took {@code conversationId} themselves (their outbound message, a reply to it). */
  void hold(String agentId, String conversationId) {
    store.hold(agentId, conversationId, clock.instant());
  }

  /** The agent no longer has {@code conversationId}. */
  void release(String agentId, String conversationId) {
    store.release(agentId, conversationId);
  }

  /** Nobody has {@code conversationId} any more (it went back to its queue without saying from whom). */
  List<String> releaseEverywhere(String conversationId) {
    List<String> released = new java.util.ArrayList<>(1);
    for (AgentRecord a : store.agents()) {
      if (a.slots().containsKey(conversationId)) {
        store.release(a.agentId(), conversationId);
        released.add(a.agentId()); // events: who lost it
      }
    }
    return released;
  }

  /**
   * Brings the agent's slots in line with the conversation store, the record of who has what: holds the open
   * conversations assigned to them, and releases slots of conversations that ended, went to someone else, or stayed
   * queued past {@link #CLAIM_GRACE} (a claim whose instance died before assigning).
   */
  void reconcile(AgentRecord agent) {
    Set<String> open = new HashSet<>();
    Instant now = clock.instant();
    for (Conversation c : conversations.findOpenByTarget(new RouteTarget.Agent(agent.agentId()))) {
      open.add(c.id());
      if (!agent.slots().containsKey(c.id())) {
        store.hold(agent.agentId(), c.id(), now);
      }
    }
    for (Map.Entry<String, Instant> slot : agent.slots().entrySet()) {
      if (open.contains(slot.getKey())) {
        continue;
      }
      Conversation c = conversations.find(slot.getKey()).orElse(null);
      boolean stale = c == null || !c.isOpen()
          || (c.target() instanceof RouteTarget.Agent a && !a.agentId().equals(agent.agentId()))
          || (c.target() instanceof RouteTarget.Queue && !slot.getValue().plus(CLAIM_GRACE).isAfter(now))
          || c.target() instanceof RouteTarget.ContactFlow;
      // Only the slot that was read: a claim of the same conversation made since then stays.
      if (stale && store.releaseIfClaimedAt(agent.agentId(), slot.getKey(), slot.getValue())) {
        log.info("agent {} no longer holds conversation {}", agent.agentId(), slot.getKey());
      }
    }
  }

  /** Reconciles every agent's slots (see {@link #reconcile}). */
  void reconcileAll() {
    for (AgentRecord a : store.agents()) {
      reconcile(a);
    }
  }

  // ---------------------------------------------------------------------------------------------------- offers

  /** Offers the conversation to the agent until {@code deadline}. */
  void offer(String conversationId, String agentId, Instant deadline) {
    store.offer(new AgentOffer(conversationId, agentId, deadline));
  }

  /** The conversation is no longer offered (accepted, answered, ended, queued). */
  void withdrawOffer(String conversationId) {
    store.withdrawOffer(conversationId);
  }

  /** Offers whose deadline came by {@code now}, each to one caller (see {@link AgentStore#takeDueOffers}). */
  List<AgentOffer> takeDueOffers(Instant now, Duration lease, int limit) {
    return store.takeDueOffers(now, lease, limit);
  }

  // ---------------------------------------------------------------------------------------------------- assignment

  /** Assigns {@code c} (queued) to the longest-idle available agent of its queue; returns it as it now stands. */
  Conversation tryAssign(Conversation c, Mapping mapping, Set<String> excluded) {
    return assign(c, mapping, excluded).conversation();
  }

  /** The conversation as it now stands, and whether this call assigned it. */
  private record Assignment(Conversation conversation, boolean assignedHere) {}

  private Assignment assign(Conversation c, Mapping mapping, Set<String> excluded) {
    if (!(c.target() instanceof RouteTarget.Queue q)) {
      return new Assignment(c, false);
    }
    String agent = store.claim(q.queueCode(), c.id(), excluded, clock.instant()).orElse(null);
    if (agent == null) {
      log.info("conversation {} waits in queue {}: no available agent has capacity", c.id(), q.queueCode());
      return new Assignment(c, false);
    }
    Conversation assigned = writes.update(c, x -> x.isOpen() && x.state() == Conversation.State.QUEUED
        ? x.assignedTo(agent, clock.instant()) : null);
    if (assigned == null) {
      store.release(agent, c.id()); // someone else assigned or ended it first: the slot goes back
      return new Assignment(conversations.find(c.id()).orElse(c), false);
    }
    touch(agent);
    log.info("conversation {} from queue {} assigned to agent {}", c.id(), q.queueCode(), agent);
    outbox.systemMessage(assigned, mapping, mapping.chatControl().agentJoinedMessage());
    events.assigned(assigned, agent, null);
    return new Assignment(assigned, true);
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
        Assignment after = assign(c, mapping, Set.of());
        if (after.conversation().state() != Conversation.State.ASSIGNED) {
          break;
        }
        if (after.assignedHere()) {
          assigned++; // not one another thread or instance assigned meanwhile
        }
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
    store.agents().forEach(a -> queues.addAll(a.queues()));
  }

  /** The agent got work or freed a slot now: idle since now (queues pick the longest idle). */
  void touch(String agentId) {
    store.touch(agentId, clock.instant());
  }

  private Set<String> queuesOf(String agentId) {
    return store.find(agentId).map(AgentRecord::queues).orElse(Set.of());
  }
}
