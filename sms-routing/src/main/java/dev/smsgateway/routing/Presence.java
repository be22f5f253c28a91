package dev.smsgateway.routing;

/**
 * An agent's presence.
 *
 * <p>Immutable and thread-safe.
 */
public enum Presence {
  /** Takes new conversations from queues, and replies to conversations they originated. */
  AVAILABLE,
  /** Takes no new conversations from queues; still offered replies to conversations they originated. */
  AWAY,
  /** Takes nothing new: replies to conversations they originated go to the number's queue. */
  OFFLINE
}
