package dev.smsgateway.routing;

import dev.smsgateway.SmsValidationException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service's sweeps: by default on its own daemon thread, every {@link #periodFor period derived from the
 * smallest timeout}; or on a scheduler the application brings ({@link #schedule}), which stops the service's own.
 * Thread-safe.
 */
final class SweepScheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  /** The most often the service sweeps by itself, whatever the timeouts. */
  static final Duration MIN_PERIOD = Duration.ofSeconds(1);
  /** The least often: a timeout fires at most this late. */
  static final Duration MAX_PERIOD = Duration.ofSeconds(30);
  /** A timeout fires at most a tenth of itself late (within the bounds above). */
  private static final int PER_TIMEOUT = 10;

  private final Runnable sweep;
  private ScheduledExecutorService own;
  private ScheduledFuture<?> ownTask;
  private Duration period;
  private boolean external;
  private boolean closed;

  SweepScheduler(Runnable sweep) {
    this.sweep = sweep;
  }

  /** A tenth of the smallest idle or accept timeout of the configuration, between 1 and 30 seconds. */
  static Duration periodFor(RoutingConfiguration configuration) {
    Duration smallest = MAX_PERIOD.multipliedBy(PER_TIMEOUT);
    for (Mapping m : configuration.mappings()) {
      smallest = min(smallest, min(m.chatControl().idleTimeout(), m.chatControl().agentAcceptTimeout()));
    }
    Duration p = smallest.dividedBy(PER_TIMEOUT);
    return p.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : min(p, MAX_PERIOD);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Starts (or restarts with a new period) the service's own sweeps, unless the application brought a scheduler. */
  synchronized void start(Duration every) {
    if (closed || external) {
      return;
    }
    if (ownTask != null) {
      if (every.equals(period)) {
        return;
      }
      ownTask.cancel(false);
    }
    if (own == null) {
      own = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sms-conversation-sweeper");
        t.setDaemon(true);
        return t;
      });
    }
    period = every;
    ownTask = own.scheduleWithFixedDelay(this::runOnce, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
    log.info("conversation sweeps every {} on the service's own thread", Checks.human(every));
  }

  /** Changes the period of the service's own sweeps, if they run. */
  synchronized void adjust(Duration every) {
    if (ownTask != null) {
      start(every);
    }
  }

  /** The period of the service's own sweeps; null when they do not run. */
  synchronized Duration period() {
    return ownTask == null ? null : period;
  }

  /** Sweeps on the application's scheduler from now on; the service's own thread stops. */
  ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration every) {
    Objects.requireNonNull(scheduler, "scheduler == null");
    Objects.requireNonNull(every, "period == null");
    if (every.isNegative() || every.isZero()) {
      throw new SmsValidationException("period", "must be positive: " + every);
    }
    synchronized (this) {
      external = true;
      stopOwn();
    }
    return scheduler.scheduleWithFixedDelay(this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runOnce() {
    try {
      sweep.run();
    } catch (RuntimeException e) {
      log.warn("conversation sweep failed; the next one runs as scheduled", e);
    }
  }

  private void stopOwn() {
    if (ownTask != null) {
      ownTask.cancel(false);
      ownTask = null;
    }
    if (own != null) {
      own.shutdownNow();
      own = null;
    }
  }

  /** Stops the service's own sweeps (an application's scheduler is the application's to stop). Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    stopOwn();
  }
}
