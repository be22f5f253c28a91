package dev.smsgateway;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per sending number, made the first time the number sends, at the rate {@link OriginatorThrottles}
 * gives it. Buckets are independent: one number's debt never delays another's messages. A send without an
 * originator (the provider's default sender) is not limited here, because the gateway does not know which number
 * the provider will use.
 *
 * <p>Thread-safe.
 */
final class OriginatorThrottleRegistry {

  private final OriginatorThrottles rates;
  private final Clock clock;
  private final Map<Originator, TokenBucket> buckets = new ConcurrentHashMap<>();

  OriginatorThrottleRegistry(OriginatorThrottles rates, Clock clock) {
    this.rates = rates;
    this.clock = clock;
  }

  /** Takes {@code parts} tokens from {@code from}'s bucket; returns the nanoseconds to wait (0 = now). */
  long reserve(Originator from, int parts) {
    if (from == null) {
      return 0;
    }
    TokenBucket bucket = buckets.get(from);
    if (bucket == null) {
      OptionalDouble rate = rates.partsPerSecond(from);
      if (rate.isEmpty()) {
        return 0;
      }
      bucket = buckets.computeIfAbsent(from, o -> new TokenBucket(rate.getAsDouble(), clock));
    }
    return bucket.reserve(parts);
  }
}
