package dev.smsgateway.routing;

import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.AgentRecord;
import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What an agent desktop and a supervisor view ask of a {@link ConversationService}
 * ({@link ConversationService#monitor()}): the queues with their depth, who waits and in which position, the agents
 * with their presence and load, and the open conversations. Each call reads the current state (the conversation
 * store and the agent store); nothing is cached, so a supervisor view polls it.
 *
 * <p>Positions follow the order in which a queue assigns: oldest conversation first. Agents are those of the agent
 * store (every instance's, when instances share one); conversations come from the store and so include other
 * instances' work.
 *
 * <p>Thread-safe.
 */
public final class ConversationMonitor {

  private final ConversationStore conversations;
  private final AgentStore agents;
  private final Supplier<RoutingConfiguration> configuration;
  private final Clock clock;

  ConversationMonitor(ConversationStore conversations, AgentStore agents,
      Supplier<RoutingConfiguration> configuration, Clock clock) {
    this.conversations = conversations;
    this.agents = agents;
    this.configuration = configuration;
    this.clock = clock;
  }

  /** The conversations waiting in {@code queue}, in the order it assigns them (oldest first). */
  public List<Conversation> waiting(String queue) {
    Objects.requireNonNull(queue, "queue == null");
    List<Conversation> out = new ArrayList<>();
    for (Conversation c : conversations.findOpenByTarget(new RouteTarget.Queue(queue))) {
      if (c.state() == Conversation.State.QUEUED) {
        out.add(c);
      }
    }
    return out;
  }

  /** How many conversations wait in {@code queue}. */
  public int depth(String queue) {
    return waiting(queue).size();
  }

  /** A waiting conversation's position in its queue (1: assigned next); empty when it does not wait. */
  public OptionalInt position(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Conversation c = conversations.find(conversationId).orElse(null);
    if (c == null || c.state() != Conversation.State.QUEUED || !(c.target() instanceof RouteTarget.Queue q)) {
      return OptionalInt.empty();
    }
    List<Conversation> waiting = waiting(q.queueCode());
    for (int i = 0; i < waiting.size(); i++) {
      if (waiting.get(i).id().equals(conversationId)) {
        return OptionalInt.of(i + 1);
      }
    }
    return OptionalInt.empty();
  }

  /** One queue now. */
  public QueueStatus queue(String queue) {
    Objects.requireNonNull(queue, "queue == null");
    List<Conversation> waiting = waiting(queue);
    int available = 0;
    int free = 0;
    for (AgentStatus a : agents()) {
      if (a.presence() == Presence.AVAILABLE && a.queues().contains(queue)) {
        available++;
        free += Math.max(0, a.capacity() - a.load());
      }
    }
    return new QueueStatus(queue, waiting.size(), available, free,
        waiting.stream().map(Conversation::openedAt).min(Comparator.naturalOrder()).orElse(null));
  }

  /** Every queue the configuration's numbers or this instance's agents name, by code. */
  public List<QueueStatus> queues() {
    Set<String> codes = new TreeSet<>();
    for (Mapping m : configuration.get().mappings()) {
      for (BusinessNumber n : m.numbers()) {
        n.queue().ifPresent(codes::add);
      }
    }
    for (AgentRecord a : agents.agents()) {
      codes.addAll(a.queues());
    }
    List<QueueStatus> out = new ArrayList<>(codes.size());
    for (String code : codes) {
      out.add(queue(code));
    }
    return out;
  }

  /** A registered agent. */
  public Optional<AgentStatus> agent(String agentId) {
    Objects.requireNonNull(agentId, "agentId == null");
    return agents.find(agentId).map(this::status);
  }

  /** The registered agents, by id. */
  public List<AgentStatus> agents() {
    List<AgentStatus> out = new ArrayList<>();
    for (AgentRecord a : agents.agents()) {
      out.add(status(a));
    }
    out.sort(Comparator.comparing(AgentStatus::agentId));
    return out;
  }

  /** The open conversations assigned to {@code agentId}, oldest first (an agent desktop's list). */
  public List<Conversation> conversationsOf(String agentId) {
    return conversations.findOpenByTarget(new RouteTarget.Agent(Objects.requireNonNull(agentId, "agentId == null")));
  }

  /** Open conversations, least recently active first, at most {@code limit} (1-10,000). */
  public List<Conversation> open(int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new dev.smsgateway.SmsValidationException("limit", "must be 1-10000: " + limit);
    }
    // Every open conversation was last active before now (plus a margin for clocks of other instances).
    return conversations.findIdle(clock.instant().plus(Duration.ofDays(1)), limit);
  }

  private AgentStatus status(AgentRecord a) {
    int load = conversations.findOpenByTarget(new RouteTarget.Agent(a.agentId())).size();
    return new AgentStatus(a.agentId(), Agents.presenceOf(a.presence()), a.capacity(), load, a.queues(),
        a.idleSince());
  }

  @Override
  public String toString() {
    return "ConversationMonitor{agents=" + agents + "}";
  }
}
