package dev.smsgateway.email;

/**
 * An email could not be handled now (a store or the SMS provider failed in a way that may pass, or the refusal reply
 * could not be sent); nothing about it was kept, so the source must deliver it again: the IMAP source leaves it
 * unseen, the SNS endpoint answers 503, the Lambda handler fails the invocation. The redelivery sends at most once:
 * the send's idempotency key comes from the email's Message-ID.
 *
 * <p>The message never holds an address, a number or message text.
 */
public final class EmailNotTakenException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** With the reason and its cause. */
  public EmailNotTakenException(String message, Throwable cause) {
    super(message, cause);
  }
}
