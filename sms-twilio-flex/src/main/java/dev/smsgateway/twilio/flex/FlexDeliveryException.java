package dev.smsgateway.twilio.flex;

/**
 * A step of a Flex delivery failed. {@link #step()} names it ({@code create interaction}, {@code send first message},
 * ...), {@link #status()} is Twilio's HTTP status (0 when no answer came), and {@link #created()} says what earlier
 * steps already created, so that nothing is left behind unreported: calling again with the same idempotency key
 * resumes after the last step that succeeded.
 */
public final class FlexDeliveryException extends RuntimeException {

  private final String step;
  private final int status;
  private final String created;

  FlexDeliveryException(String step, int status, String created, String message, Throwable cause) {
    super(step + " failed" + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + message
        + (created.isEmpty() ? "" : "; already created: " + created), cause);
    this.step = step;
    this.status = status;
    this.created = created;
  }

  /** The step that failed. */
  public String step() {
    return step;
  }

  /** Twilio's HTTP status, or 0. */
  public int status() {
    return status;
  }

  /** The SIDs earlier steps created, for example {@code interaction KD..., conversation CH...}; empty for none. */
  public String created() {
    return created;
  }
}
