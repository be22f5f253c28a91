package dev.smsgateway.test.smsc;

import java.time.Duration;
import java.util.Objects;

/**
 * What the {@link SmscSimulator} does with one {@code submit_sm}: accept it, reject it with a command status, answer
 * late, or never answer. Returned by a {@link SubmitHandler}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SubmitAction {

  /** The kinds of answer. */
  public enum Kind {
    /** Answer {@code submit_sm_resp} with status 0 and a new message id. */
    ACCEPT,
    /** Answer with a non-zero command status and no message id. */
    REJECT,
    /** Never answer (the response is held until the session dies). */
    DROP
  }

  private static final SubmitAction ACCEPT = new SubmitAction(Kind.ACCEPT, 0, Duration.ZERO);
  private static final SubmitAction DROP = new SubmitAction(Kind.DROP, 0, Duration.ZERO);

  private final Kind kind;
  private final int status;
  private final Duration delay;

  private SubmitAction(Kind kind, int status, Duration delay) {
    this.kind = kind;
    this.status = status;
    this.delay = delay;
  }

  /** Accept at once. */
  public static SubmitAction accept() {
    return ACCEPT;
  }

  /** Accept after {@code delay} (a "late response" when longer than the client's response timeout). */
  public static SubmitAction acceptAfter(Duration delay) {
    Objects.requireNonNull(delay, "delay == null");
    return new SubmitAction(Kind.ACCEPT, 0, delay);
  }

  /** Reject with {@code commandStatus}, for example {@code 0x58} (ESME_RTHROTTLED). */
  public static SubmitAction reject(int commandStatus) {
    if (commandStatus == 0) {
      throw new IllegalArgumentException("a rejection needs a non-zero command status");
    }
    return new SubmitAction(Kind.REJECT, commandStatus, Duration.ZERO);
  }

  /** Never answer: the client sees a response timeout, and the message counts as received. */
  public static SubmitAction drop() {
    return DROP;
  }

  /** The kind of answer. */
  public Kind kind() {
    return kind;
  }

  /** The command status of a rejection; 0 otherwise. */
  public int status() {
    return status;
  }

  /** How long to wait before answering. */
  public Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    return "SubmitAction{" + kind + (status != 0 ? ", status=0x" + Integer.toHexString(status) : "")
        + (delay.isZero() ? "" : ", delay=" + delay) + "}";
  }
}
