package dev.smsgateway.console;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token buckets (one per agent): {@code perSecond} requests a second on average, bursts of {@code burst}.
 * Buckets idle long enough to be full again are dropped, so memory follows the active keys.
 *
 * <p>Thread-safe.
 */
final class RateLimiter {

  private final double perSecond;
  private final double burst;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(double perSecond, int burst, Clock clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
  }

  /** Takes one token; returns 0 when allowed, else how many seconds (at least 1) until one is available. */
  long acquire(String key) {
    long now = clock.millis();
    if (buckets.size() > 10_000) {
      long full = (long) Math.ceil(burst / perSecond * 1000);
      buckets.values().removeIf(b -> now - b.at > full);
    }
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (b) {
      b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1000.0 * perSecond);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
    }
  }

  Duration window() {
    return Duration.ofMillis((long) (burst / perSecond * 1000));
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
