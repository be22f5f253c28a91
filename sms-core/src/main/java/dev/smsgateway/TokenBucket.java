package dev.smsgateway;

import java.time.Clock;
import java.time.Instant;

/**
 * A token bucket in SMS parts: {@code rate} tokens a second, holding at most one second's worth. A reservation may
 * run the bucket into debt; the caller then waits the returned delay, so waiting sends leave in the order they
 * reserved (first come, first served) and the long-run rate never exceeds {@code rate}.
 *
 * <p>Thread-safe (synchronized; a reservation is a few arithmetic operations).
 */
final class TokenBucket {

  private final Clock clock;
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(double partsPerSecond, Clock clock) {
    this.clock = clock;
    this.ratePerNano = partsPerSecond / 1e9;
    this.capacity = Math.max(1.0, partsPerSecond);
    this.tokens = capacity;
    this.lastNanos = nanos(clock.instant());
  }

  /** Takes {@code parts} tokens and returns how many nanoseconds the caller must wait before sending (0 = now). */
  synchronized long reserve(int parts) {
    long now = nanos(clock.instant());
    if (now > lastNanos) {
      tokens = Math.min(capacity, tokens + (now - lastNanos) * ratePerNano);
      lastNanos = now;
    }
    tokens -= parts;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerNano);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
