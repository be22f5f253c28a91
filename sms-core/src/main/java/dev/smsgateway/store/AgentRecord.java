package dev.smsgateway.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An agent as an {@link AgentStore} holds them: capacity, queues, presence, since when they have been idle, and the
 * conversations they hold (their load).
 *
 * <p>Immutable and thread-safe.
 *
 * @param agentId the agent
 * @param capacity how many conversations they handle at once (queues assign them no more)
 * @param queues the queues they serve
 * @param presence the name of their presence ({@code AVAILABLE}, {@code AWAY}, {@code OFFLINE}); only
 *     {@link #AVAILABLE} takes work from queues
 * @param idleSince their last assignment, ended conversation or change to available (queues pick the longest idle)
 * @param slots the conversations they hold, each with when it was claimed; {@link #load()} is their number
 */
public record AgentRecord(String agentId, int capacity, Set<String> queues, String presence, Instant idleSince,
    Map<String, Instant> slots) {

  /** The presence that takes work from queues. */
  public static final String AVAILABLE = "AVAILABLE";
  /** The presence of a newly registered agent. */
  public static final String OFFLINE = "OFFLINE";

  /** Checks and copies. */
  public AgentRecord {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(presence, "presence == null");
    Objects.requireNonNull(idleSince, "idleSince == null");
    queues = Set.copyOf(queues);
    slots = Map.copyOf(slots);
  }

  /** How many conversations they hold. */
  public int load() {
    return slots.size();
  }

  /** Whether a queue could assign them another conversation now: available and below capacity. */
  public boolean canTakeMore() {
    return AVAILABLE.equals(presence) && load() < capacity;
  }
}
