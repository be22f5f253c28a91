package dev.smsgateway;

/**
 * Where a sent message stands, as the provider last reported it. Transitions are monotonic: a status only ever moves
 * to one of higher {@link #rank()}, so a late or duplicated report never undoes a final one.
 *
 * <p>Immutable and thread-safe.
 */
public enum DeliveryStatus {
  /** The provider accepted the message and queued it (SMPP ENROUTE before hand-off, Twilio queued/accepted). */
  ACCEPTED(0, false),
  /** The provider handed the message to the carrier (Twilio sent, AWS TEXT_SUCCESSFUL). */
  SENT(1, false),
  /** The provider reported a state it did not explain; the raw text is kept in the report. */
  UNKNOWN(2, false),
  /** The handset received the message. */
  DELIVERED(3, true),
  /** The carrier or handset could not take the message (SMPP UNDELIV, Twilio undelivered/failed). */
  FAILED(3, true),
  /** The validity period ran out before delivery. */
  EXPIRED(3, true),
  /** The provider or carrier refused the message (SMPP REJECTD, AWS TEXT_BLOCKED). */
  REJECTED(3, true);

  private final int rank;
  private final boolean terminal;

  DeliveryStatus(int rank, boolean terminal) {
    this.rank = rank;
    this.terminal = terminal;
  }

  /** Whether no further report can change this status. */
  public boolean isFinal() {
    return terminal;
  }

  /** Ordering for monotonic merging: a report is applied only if its rank is higher than the current one. */
  public int rank() {
    return rank;
  }

  /** Whether moving from this status to {@code next} is progress (never backwards, never away from a final state). */
  public boolean canMoveTo(DeliveryStatus next) {
    return !terminal && next.rank > rank;
  }
}
