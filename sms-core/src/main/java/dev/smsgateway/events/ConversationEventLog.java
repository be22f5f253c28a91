package dev.smsgateway.events;

import java.time.Instant;
import java.util.List;

/**
 * Where a {@link ConversationEventBus} keeps events and cursors: a durable, ordered log per stream plus, per stream,
 * where its delivery stands ({@link EventCursor}: the position delivered last, and the lease-bound claim of the
 * subscription delivering after it). The in-memory, JDBC and DynamoDB stores implement it; the bus does the rest
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

  /** Where the delivery of {@code stream} stands: {@link EventCursor#NONE} for a stream never delivered or claimed. */
  EventCursor cursor(String stream);

  /**
   * Claims the events of {@code stream} after {@code delivered} up to {@code through} for the subscription
   * {@code owner}, until {@code leaseUntil}, if (atomically, across instances) the stream's delivered position is
   * still {@code delivered} and no other subscription holds a claim whose lease is after {@code now}. The caller that
   * gets {@code true} delivers those events, acknowledging them as it goes ({@link #acknowledge}); if it stops before,
   * its lease lapses and the events it did not acknowledge go to the next claim.
   */
  boolean claim(String stream, long delivered, long through, String owner, Instant now, Instant leaseUntil);

  /**
   * Records that {@code owner} delivered the events of {@code stream} up to {@code delivered}, if the claim is still
   * its own (lapsed or not, as long as nobody claimed after it): the delivered position moves there; the claim ends
   * when that is its last position, otherwise its lease is renewed until {@code leaseUntil}.
   *
   * @return false when the claim is another subscription's now (this one's lease lapsed and was taken): the caller
   *     stops delivering that batch
   */
  boolean acknowledge(String stream, String owner, long delivered, Instant leaseUntil);

  /**
   * Deletes the events that happened before {@code cutoff}; cursors and positions stay, so positions are never reused.
   *
   * @return how many events were deleted (engines that expire items by themselves may return 0)
   */
  int purgeBefore(Instant cutoff);
}
