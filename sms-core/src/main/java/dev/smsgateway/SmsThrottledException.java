package dev.smsgateway;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider said "too fast" (SMPP ESME_RTHROTTLED, HTTP 429, AWS ThrottlingException). The message was not
 * accepted and is safe to send again after a wait.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsThrottledException extends SmsException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param retryAfter how long the provider asked us to wait, or null when it did not say
   */
  public SmsThrottledException(String message, String provider, String providerCode, Duration retryAfter) {
    super(message, provider, providerCode, null);
    this.retryAfter = retryAfter;
  }

  /** How long the provider asked us to wait, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
