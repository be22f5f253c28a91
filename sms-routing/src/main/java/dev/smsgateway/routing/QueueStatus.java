package dev.smsgateway.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A skill queue now, for a supervisor view ({@link ConversationMonitor}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param queue the queue code
 * @param waiting how many conversations wait in it (its depth)
 * @param agentsAvailable how many available agents of this instance serve it
 * @param freeCapacity how many more conversations those agents can take now
 * @param oldestWaitingSince when the conversation that waits longest opened; null when none waits
 */
public record QueueStatus(String queue, int waiting, int agentsAvailable, int freeCapacity,
    Instant oldestWaitingSince) {

  /** Checks. */
  public QueueStatus {
    Objects.requireNonNull(queue, "queue == null");
  }

  /** {@link #oldestWaitingSince()} as an optional. */
  public Optional<Instant> oldestWaiting() {
    return Optional.ofNullable(oldestWaitingSince);
  }
}
