package dev.smsgateway;

/**
 * The provider or carrier refused this message for good: invalid or unreachable destination, content filtered,
 * region not enabled, quota exhausted. Not retryable as it is.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsRejectedException extends SmsException {

  private static final long serialVersionUID = 1L;

  /** A rejection the provider reported, with its raw code. */
  public SmsRejectedException(String message, String provider, String providerCode) {
    super(message, provider, providerCode, null);
  }

  /** A rejection the provider reported, with its raw code and the underlying error. */
  public SmsRejectedException(String message, String provider, String providerCode, Throwable cause) {
    super(message, provider, providerCode, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
