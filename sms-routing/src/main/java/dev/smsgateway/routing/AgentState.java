package dev.smsgateway.routing;

import java.time.Instant;
import java.util.Set;

/** One registered agent of this instance: capacity, queues, presence and since when they have been idle. */
final class AgentState {
  final String id;
  final int capacity;
  final Set<String> queues;
  volatile Presence presence = Presence.OFFLINE;
  volatile Instant idleSince;

  AgentState(String id, int capacity, Set<String> queues, Instant now) {
    this.id = id;
    this.capacity = capacity;
    this.queues = Set.copyOf(queues);
    this.idleSince = now;
  }

  AgentState with(int newCapacity, Set<String> newQueues) {
    AgentState a = new AgentState(id, newCapacity, newQueues, idleSince);
    a.presence = presence;
    return a;
  }
}
