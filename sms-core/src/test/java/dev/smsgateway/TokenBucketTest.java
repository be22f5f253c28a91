package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  /** A clock tests move by hand. Not thread-safe. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  @DisplayName("a full bucket gives one second of parts at once, then queues each reservation behind the last")
  void burstThenQueue() {
    TestClock clock = new TestClock();
    TokenBucket bucket = new TokenBucket(2, clock);
    assertThat(bucket.reserve(1)).isZero();
    assertThat(bucket.reserve(1)).isZero();
    assertThat(Duration.ofNanos(bucket.reserve(1))).isEqualTo(Duration.ofMillis(500));
    assertThat(Duration.ofNanos(bucket.reserve(1))).isEqualTo(Duration.ofMillis(1000));
    clock.now = clock.now.plusSeconds(1);
    assertThat(Duration.ofNanos(bucket.reserve(1))).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  @DisplayName("tokens refill at the rate, never above one second's worth; a message larger than that waits")
  void refillAndLargeMessages() {
    TestClock clock = new TestClock();
    TokenBucket bucket = new TokenBucket(3, clock);
    clock.now = clock.now.plusSeconds(60);
    assertThat(bucket.reserve(3)).isZero();
    assertThat(Duration.ofNanos(bucket.reserve(1))).isBetween(Duration.ofMillis(333), Duration.ofMillis(334));
    clock.now = clock.now.plusSeconds(10);
    assertThat(Duration.ofNanos(bucket.reserve(6))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("a fractional rate below one part a second still lets one part through at once")
  void slowRate() {
    TestClock clock = new TestClock();
    TokenBucket bucket = new TokenBucket(0.5, clock);
    assertThat(bucket.reserve(1)).isZero();
    assertThat(Duration.ofNanos(bucket.reserve(1))).isEqualTo(Duration.ofSeconds(2));
  }
}
