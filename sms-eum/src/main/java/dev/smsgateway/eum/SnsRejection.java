package dev.smsgateway.eum;

/**
 * Why {@link SnsWebhookHandler} refused a request, with the HTTP status to answer. Internal control flow; the reason
 * is safe to log and to return (it never holds message content).
 */
final class SnsRejection extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  SnsRejection(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  SnsRejection(int status, String reason, Throwable cause) {
    super(reason, cause, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
