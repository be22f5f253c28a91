package dev.smsgateway.smpp;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The reconnect schedule: exponential with full jitter (a uniform delay between zero and
 * {@code min(cap, initial * 2^(attempt-1))}), so that many clients losing one SMSC do not come back in step.
 * ESME_RALYBND (the SMSC still holds our previous bind) backs off harder: the ceiling starts at 5 s and the delay is
 * at least half of it, which keeps a refusal that lasts 150 s to at most 8 bind attempts (docs/reliability.md S3).
 *
 * <p>Thread-safe if the random source is.
 */
final class Backoff {

  static final Duration ALREADY_BOUND_INITIAL = Duration.ofSeconds(5);

  private final long initialMillis;
  private final long capMillis;
  private final DoubleSupplier random;

  Backoff(Duration initial, Duration cap, DoubleSupplier random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.capMillis = Math.max(this.initialMillis, cap.toMillis());
    this.random = random;
  }

  /** The delay before reconnect attempt {@code attempt + 1} ({@code attempt} >= 1 failures so far). */
  Duration delay(int attempt, boolean alreadyBound) {
    long base = alreadyBound ? Math.max(initialMillis, ALREADY_BOUND_INITIAL.toMillis()) : initialMillis;
    long ceiling = ceiling(base, attempt);
    double r = random.getAsDouble();
    long d = alreadyBound ? ceiling / 2 + (long) (r * (ceiling - ceiling / 2)) : (long) (r * ceiling);
    return Duration.ofMillis(d);
  }

  private long ceiling(long base, int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long c = base << shift;
    return c <= 0 || c > capMillis || (c >> shift) != base ? capMillis : c;
  }
}
