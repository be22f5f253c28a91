package dev.smsgateway.eum;

/**
 * {@link SnsMessageVerifier} refused a message. {@link #status()} is the HTTP status to answer SNS: 4xx refused for
 * good (SNS does not retry), 503 when the signing certificate could not be fetched (SNS delivers again). The message
 * names the broken rule and never holds message content.
 */
public final class SnsVerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  SnsVerificationException(SnsRejection rejection) {
    super(rejection.getMessage(), rejection.getCause(), false, false);
    this.status = rejection.status();
  }

  /** The HTTP status to answer: 400, 403 or 503. */
  public int status() {
    return status;
  }

  /** True when SNS should deliver the message again (the certificate could not be fetched). */
  public boolean retryable() {
    return status >= 500;
  }
}
