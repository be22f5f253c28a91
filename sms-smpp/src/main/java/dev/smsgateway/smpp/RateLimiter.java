package dev.smsgateway.smpp;

import java.util.concurrent.TimeUnit;

/**
 * Spaces submits of one bind to at most {@code perSecond} parts a second (0: no limit), and holds the bind for a pause
 * after the SMSC says it is throttling us. Callers book a slot and are told how long to wait for it, so nobody blocks
 * and parts go out in the order their slots were booked.
 *
 * <p>Thread-safe.
 */
final class RateLimiter {

  private final long intervalNanos;
  private long next;
  private volatile boolean paused;

  RateLimiter(int perSecond) {
    this.intervalNanos = perSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
    this.next = System.nanoTime();
  }

  /** Books the slot of one part: 0 when it may go now, otherwise the nanoseconds until its slot. */
  long reserve() {
    if (intervalNanos == 0 && !paused) {
      return 0;
    }
    synchronized (this) {
      long now = System.nanoTime();
      if (intervalNanos == 0 && next - now <= 0) {
        paused = false;
        return 0;
      }
      if (next - now < 0) {
        next = now;
      }
      long wait = next - now;
      next += intervalNanos;
      return wait;
    }
  }

  /** Lets nothing through for {@code pauseNanos} from now. */
  synchronized void pause(long pauseNanos) {
    long until = System.nanoTime() + pauseNanos;
    if (until - next > 0) {
      next = until;
    }
    paused = true;
  }
}
