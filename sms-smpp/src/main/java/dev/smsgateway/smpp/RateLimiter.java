package dev.smsgateway.smpp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces submits of one bind to at most {@code perSecond} parts a second (0: no limit), and holds the bind for a pause
 * after the SMSC says it is throttling us. Waiting threads queue for the next free slot.
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

  /** Blocks until one part may be sent. */
  void acquire() throws InterruptedException {
    if (intervalNanos == 0 && !paused) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      if (intervalNanos == 0 && next - now <= 0) {
        paused = false;
        return;
      }
      if (next - now < 0) {
        next = now;
      }
      wait = next - now;
      next += intervalNanos;
    }
    long deadline = System.nanoTime() + wait;
    while (wait > 0) {
      LockSupport.parkNanos(this, wait);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      wait = deadline - System.nanoTime();
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
