package dev.smsgateway.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An agent as this instance sees them, for an agent desktop or a supervisor view ({@link ConversationMonitor}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param agentId the agent
 * @param presence their presence
 * @param capacity how many conversations they handle at once
 * @param load how many open conversations they have now
 * @param queues the queues they serve
 * @param idleSince their last assignment, ended conversation or change to available (queues pick the longest idle)
 */
public record AgentStatus(String agentId, Presence presence, int capacity, int load, Set<String> queues,
    Instant idleSince) {

  /** Checks and copies. */
  public AgentStatus {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(presence, "presence == null");
    queues = Set.copyOf(queues);
  }

  /** Whether a queue could assign them another conversation now: available and below capacity. */
  public boolean canTakeMore() {
    return presence == Presence.AVAILABLE && load < capacity;
  }
}
