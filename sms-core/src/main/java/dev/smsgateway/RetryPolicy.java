package dev.smsgateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link SmsGateway} retries retryable failures: exponential backoff with full jitter, capped. A failure that
 * is {@linkplain SmsException#possiblyDelivered() possibly delivered} is retried only if
 * {@link #retryPossiblyDelivered()} is true, because a retry may send the message twice.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxAttempts attempts in all, including the first (1 means no retry)
 * @param initialBackoff the backoff before the first retry (before jitter)
 * @param maxBackoff the cap on any one backoff
 * @param retryPossiblyDelivered whether to retry sends whose outcome is unknown
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
    boolean retryPossiblyDelivered) {

  /** Checks the values. */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff == null");
    Objects.requireNonNull(maxBackoff, "maxBackoff == null");
    if (maxAttempts < 1) {
      throw new SmsValidationException("retryPolicy.maxAttempts", "must be >= 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new SmsValidationException("retryPolicy.maxBackoff", "must be >= initialBackoff >= 0");
    }
  }

  /** 5 attempts, 200 ms doubling to at most 30 s, possibly-delivered sends not retried. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(30), false);
  }

  /** No retries. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, false);
  }

  /**
   * The upper bound of the backoff before attempt {@code attempt + 1} (exponential, capped); the gateway waits a
   * uniformly random time between zero and this ("full jitter").
   */
  public Duration backoffCeiling(int attempt) {
    long base = initialBackoff.toMillis();
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long ceiling = base << shift;
    if (ceiling < 0 || ceiling > maxBackoff.toMillis() || (base != 0 && ceiling >> shift != base)) {
      ceiling = maxBackoff.toMillis();
    }
    return Duration.ofMillis(ceiling);
  }
}
