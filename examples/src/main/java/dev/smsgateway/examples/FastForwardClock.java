package dev.smsgateway.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset the demo can move forward, so that it shows a 2-minute idle timeout without
 * waiting 2 minutes. Everything that reads time in the demo (gateway, stores, conversations) reads this clock.
 *
 * <p>Thread-safe.
 */
final class FastForwardClock extends Clock {

  private final Clock base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  FastForwardClock(Clock base) {
    this.base = base;
  }

  void fastForward(Duration by) {
    offset.accumulateAndGet(by, Duration::plus);
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the demo clock has one zone");
  }
}
