package dev.smsgateway.events;

import java.time.Instant;

/**
 * Where the delivery of one stream stands in a {@link ConversationEventLog}: the position delivered (and acknowledged)
 * last, and the claim of the subscription delivering the events after it, if any: who holds it, the last position it
 * covers, and until when it holds without being renewed. A claim whose lease has passed belongs to nobody: its holder
 * stopped (crashed, or hangs), and the events it had not acknowledged go to the next subscription that claims them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param delivered the last position delivered and acknowledged, 0 when none was
 * @param owner the id of the subscription holding a claim, or null
 * @param claimedThrough the last position the claim covers (0 without a claim)
 * @param leaseUntil when the claim lapses unless renewed (null without a claim)
 */
public record EventCursor(long delivered, String owner, long claimedThrough, Instant leaseUntil) {

  /** A stream nothing was delivered from and nobody claims. */
  public static final EventCursor NONE = new EventCursor(0, null, 0, null);

  /** Checks the positions. */
  public EventCursor {
    if (delivered < 0 || claimedThrough < 0) {
      throw new IllegalArgumentException("positions must not be negative: delivered=" + delivered
          + ", claimedThrough=" + claimedThrough);
    }
  }

  /** Whether a subscription other than {@code subscription} holds a claim that has not lapsed at {@code now}. */
  public boolean claimedByAnother(String subscription, Instant now) {
    return owner != null && !owner.equals(subscription) && leaseUntil != null && leaseUntil.isAfter(now);
  }
}
