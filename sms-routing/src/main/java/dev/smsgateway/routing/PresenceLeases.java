package dev.smsgateway.routing;

import dev.smsgateway.SmsValidationException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence that survives the death of an instance. The instance an agent's desktop is connected to (where the agent
 * was registered or last changed presence, until {@link ConversationService#disconnectAgent}) renews the agent's
 * presence lease in the {@link AgentStore} on every sweep, which runs several times per lease. If that instance dies,
 * nobody renews: queues stop assigning the agent work as soon as the lease ends ({@link AgentStore#claim}), and the
 * next sweep of any live instance takes the agent ({@link AgentStore#takeLapsedAgents}, one instance per lapse), sets
 * them offline and releases each of their open conversations through the agent-release path (the conversation goes
 * back to its number's queue or to the next agent; the RELEASED event and the agent-left message as for
 * {@link ConversationService#release}).
 *
 * <p>Off (does nothing) when {@link #lease()} is null: the embedded default, whose agents live in this JVM alone.
 * Thread-safe.
 */
final class PresenceLeases {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  /** A lease lasts at least this many heartbeats (sweeps), so that one late sweep does not lose an instance's agents. */
  static final int MIN_BEATS = 3;
  private static final int BATCH = 100;

  private final AgentStore store;
  private final ConversationStore conversations;
  private final Clock clock;
  private final Set<String> connected = ConcurrentHashMap.newKeySet();
  private volatile Duration lease;

  PresenceLeases(AgentStore store, ConversationStore conversations, Clock clock, Duration lease) {
    this.store = store;
    this.conversations = conversations;
    this.clock = clock;
    this.lease = lease;
  }

  /**
   * The default lease: half the smallest accept timeout of the configuration, and at least {@link #MIN_BEATS}
   * heartbeats of {@code heartbeat}, so that a conversation of a dead instance's agent is back in its queue within
   * about the accept timeout (the lease, plus at most one sweep period).
   */
  static Duration defaultLease(RoutingConfiguration configuration, Duration heartbeat) {
    Duration smallest = ChatControl.defaults().agentAcceptTimeout();
    for (Mapping m : configuration.mappings()) {
      Duration accept = m.chatControl().agentAcceptTimeout();
      smallest = accept.compareTo(smallest) < 0 ? accept : smallest;
    }
    Duration half = smallest.dividedBy(2);
    Duration floor = heartbeat.multipliedBy(MIN_BEATS);
    return half.compareTo(floor) < 0 ? floor : half;
  }

  /** Refuses a lease that fewer than {@link #MIN_BEATS} heartbeats of {@code heartbeat} would renew in time. */
  static void check(Duration lease, Duration heartbeat) {
    if (lease.compareTo(heartbeat.multipliedBy(MIN_BEATS)) < 0) {
      throw new SmsValidationException("presenceLease", "must be at least " + MIN_BEATS + " sweep periods ("
          + MIN_BEATS + " x " + Checks.human(heartbeat) + "), so that one late sweep does not take an instance's"
          + " agents offline: " + Checks.human(lease));
    }
  }

  /** The lease length; null when presence leases are off. */
  Duration lease() {
    return lease;
  }

  /** Follows a new default lease (configuration replaced), when leases are on. */
  void lease(Duration next) {
    if (lease != null) {
      lease = next;
    }
  }

  /** The agent's desktop is connected here: this instance renews the agent's lease from now on. */
  void connected(String agentId) {
    Duration l = lease;
    if (l != null) {
      connected.add(agentId);
      store.renewPresence(agentId, clock.instant().plus(l));
    }
  }

  /** The agent's desktop left this instance: it no longer renews the agent's lease. */
  void disconnected(String agentId) {
    connected.remove(agentId);
  }

  /** The heartbeat: renews the lease of every agent connected here. */
  void renew() {
    Duration l = lease;
    if (l == null) {
      return;
    }
    java.time.Instant until = clock.instant().plus(l);
    for (String agentId : connected) {
      if (!store.renewPresence(agentId, until)) {
        connected.remove(agentId); // no longer registered
      }
    }
  }

  /**
   * Takes the agents whose lease lapsed (their instance stopped renewing) and releases their open conversations with
   * {@code release} (agent, conversation), which moves each to its queue or next agent.
   *
   * @return how many conversations were released
   */
  int releaseLapsed(BiConsumer<String, String> release) {
    if (lease == null) {
      return 0;
    }
    int released = 0;
    List<String> lapsed;
    do {
      lapsed = store.takeLapsedAgents(clock.instant(), BATCH);
      for (String agentId : lapsed) {
        connected.remove(agentId); // if it was here, this instance had stopped renewing it (paused past the lease)
        List<Conversation> open = conversations.findOpenByTarget(new RouteTarget.Agent(agentId));
        log.warn("agent {}'s presence lease lapsed (their instance stopped renewing it): offline; {} open"
            + " conversation(s) go back to their queue", agentId, open.size());
        for (Conversation c : open) {
          try {
            release.accept(agentId, c.id());
            released++;
          } catch (SmsValidationException gone) {
            // ended or moved since the read: nothing to release
          }
        }
      }
    } while (lapsed.size() == BATCH);
    return released;
  }
}
