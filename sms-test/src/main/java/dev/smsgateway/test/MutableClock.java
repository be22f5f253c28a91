package dev.smsgateway.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move by hand, so that TTLs, backoff and throttling are deterministic: it stands still
 * until {@link #advance} or {@link #set} moves it.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
 * store = new InMemoryOriginatorStore(clock);
 * clock.advance(Duration.ofMinutes(30));
 * }</pre>
 *
 * <p>Thread-safe: the time is one atomic reference, and every copy made by {@link #withZone} shares it.
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock standing at {@code start}, in UTC. */
  public MutableClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start == null")), ZoneOffset.UTC);
  }

  /** A clock standing at an ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}. */
  public static MutableClock at(String isoInstant) {
    return new MutableClock(Instant.parse(Objects.requireNonNull(isoInstant, "isoInstant == null")));
  }

  /** Moves the clock forward (or back, for a negative amount) and returns the new time. */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount == null");
    return now.updateAndGet(t -> t.plus(amount));
  }

  /** Moves the clock forward by {@code millis} milliseconds and returns the new time. */
  public Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Sets the time. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant == null"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(now, Objects.requireNonNull(newZone, "zone == null"));
  }

  @Override
  public String toString() {
    return "MutableClock{" + now.get() + "}";
  }
}
