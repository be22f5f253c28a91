package dev.smsgateway.email;

/**
 * An {@link EmailSender} could not hand a message to its server. The message never holds an address or the body.
 */
public final class EmailSendException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /** With the reason, whether trying again may help, and the cause. */
  public EmailSendException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether sending the same message again may succeed (a connection or throttling failure). */
  public boolean retryable() {
    return retryable;
  }
}
