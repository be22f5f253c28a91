package dev.smsgateway.events;

import java.time.Instant;
import java.util.List;

/**
 * Where a {@link ConversationEventBus} keeps events and cursors: a durable, ordered log per stream plus, per stream,
 * the position delivered last. The in-memory, JDBC and DynamoDB stores implement it; the bus does the rest
 * (subscriptions, catch-up, claiming, threads), so every engine delivers with the same rules.
 *
 * <p>Implementations are thread-safe and shared by every instance of a deployment.
 */
public interface ConversationEventLog {

  /**
   * Appends {@code event} (position 0) at the next position of its stream: 1 for the first, then one higher each
   * time, never reused, no gaps among the events visible to readers. Durable when it returns; an engine that notifies
   * other instances does it here (after the event is visible).
   *
   * @return the event with its position
   */
  ConversationEvent append(ConversationEvent event);

  /** Up to {@code limit} events of {@code stream} after {@code afterPosition}, in position order. */
  List<ConversationEvent> readAfter(String stream, long afterPosition, int limit);

  /** The position delivered last in {@code stream}, 0 when nothing was. */
  long cursor(String stream);

  /**
   * Moves the cursor of {@code stream} from {@code expected} to {@code next} if it is still at {@code expected}
   * (atomically, across instances): the caller that gets {@code true} is the one that delivers the events up to
   * {@code next}.
   */
  boolean advanceCursor(String stream, long expected, long next);

  /**
   * Deletes the events that happened before {@code cutoff}; cursors and positions stay, so positions are never reused.
   *
   * @return how many events were deleted (engines that expire items by themselves may return 0)
   */
  int purgeBefore(Instant cutoff);
}
