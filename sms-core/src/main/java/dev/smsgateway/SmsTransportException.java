package dev.smsgateway;

/**
 * The network or the provider failed: connection refused, not bound, a 5xx, a response timeout, a full local queue.
 * Retryable, unless {@link #possiblyDelivered()} says the request may already have been accepted, in which case a
 * blind retry could send the message twice.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsTransportException extends SmsException {

  private static final long serialVersionUID = 1L;

  private final boolean possiblyDelivered;

  /**
   * @param possiblyDelivered true when the request left this process and its outcome is unknown
   */
  public SmsTransportException(String message, String provider, String providerCode, boolean possiblyDelivered,
      Throwable cause) {
    super(message, provider, providerCode, cause);
    this.possiblyDelivered = possiblyDelivered;
  }

  @Override
  public boolean retryable() {
    return true;
  }

  @Override
  public boolean possiblyDelivered() {
    return possiblyDelivered;
  }
}
