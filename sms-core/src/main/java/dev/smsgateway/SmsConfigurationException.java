package dev.smsgateway;

/**
 * The set-up is wrong: bad credentials, an unknown provider name, a missing setting, an account without permission.
 * Never retryable; the message says what to fix.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsConfigurationException extends SmsException {

  private static final long serialVersionUID = 1L;

  /** A configuration problem found by the library itself. */
  public SmsConfigurationException(String message) {
    super(message, null, null, null);
  }

  /** A configuration problem a provider reported. */
  public SmsConfigurationException(String message, String provider, String providerCode, Throwable cause) {
    super(message, provider, providerCode, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
