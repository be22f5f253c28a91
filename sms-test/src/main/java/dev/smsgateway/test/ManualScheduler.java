package dev.smsgateway.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: tasks wait until the test moves a
 * {@link MutableClock} with {@link #advance(Duration)} (which runs every task that fell due, in time order, with the
 * clock set to each task's time) or calls {@link #runDue()}. Backoff, throttling and latency become deterministic
 * and instant.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
 * ManualScheduler scheduler = new ManualScheduler(clock);
 * SmsGateway gateway = SmsGateway.builder().clock(clock).scheduler(scheduler)...build();
 * gateway.send(sms);
 * scheduler.advance(Duration.ofSeconds(1));   // runs the retry that was due after 800 ms
 * }</pre>
 *
 * <p>Thread-safe: tasks may be scheduled from any thread; they run on the thread that calls {@link #advance} or
 * {@link #runDue}.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final MutableClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean shutdown;

  /** A scheduler on {@code clock}. */
  public ManualScheduler(MutableClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** The clock this scheduler reads and moves. */
  public MutableClock clock() {
    return clock;
  }

  /** Runs every task due now (including tasks those tasks schedule for now); returns how many ran. */
  public int runDue() {
    int ran = 0;
    Task<?> next;
    while ((next = pollDue(clock.instant())) != null) {
      next.runTask();
      ran++;
    }
    return ran;
  }

  /**
   * Moves the clock forward by {@code amount}, running every task that falls due on the way at its own time;
   * returns how many ran.
   */
  public int advance(Duration amount) {
    Objects.requireNonNull(amount, "amount == null");
    Instant end = clock.instant().plus(amount);
    int ran = runDue();
    Task<?> next;
    while ((next = pollDue(end)) != null) {
      if (next.at.isAfter(clock.instant())) {
        clock.set(next.at);
      }
      next.runTask();
      ran++;
      ran += runDue();
    }
    if (end.isAfter(clock.instant())) {
      clock.set(end);
    }
    return ran;
  }

  /** Runs tasks until none is left, moving the clock to each; for tests that only care about the end state. */
  public int runAll(int maxTasks) {
    int ran = 0;
    while (ran < maxTasks) {
      Task<?> next;
      synchronized (queue) {
        next = queue.poll();
      }
      if (next == null) {
        return ran;
      }
      if (next.at.isAfter(clock.instant())) {
        clock.set(next.at);
      }
      next.runTask();
      ran++;
    }
    throw new AssertionError("more than " + maxTasks + " tasks ran; a task keeps rescheduling itself");
  }

  /** The number of tasks waiting. */
  public int pendingTasks() {
    synchronized (queue) {
      return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }
  }

  /** When the earliest waiting task is due, or null. */
  public Instant nextDue() {
    synchronized (queue) {
      Task<?> t = queue.peek();
      return t == null ? null : t.at;
    }
  }

  private Task<?> pollDue(Instant limit) {
    synchronized (queue) {
      Task<?> t = queue.peek();
      if (t == null || t.at.isAfter(limit)) {
        return null;
      }
      return queue.poll();
    }
  }

  private <V> Task<V> enqueue(Task<V> task) {
    if (shutdown) {
      throw new RejectedExecutionException("scheduler is shut down");
    }
    synchronized (queue) {
      queue.add(task);
    }
    return task;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command == null");
    return enqueue(new Task<Void>(Executors.callable(command, null), at(delay, unit), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Objects.requireNonNull(callable, "callable == null");
    return enqueue(new Task<>(callable, at(delay, unit), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command == null");
    if (delay <= 0) {
      throw new IllegalArgumentException("delay <= 0");
    }
    return enqueue(new Task<Void>(Executors.callable(command, null), at(initialDelay, unit), unit.toNanos(delay)));
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  private Instant at(long delay, TimeUnit unit) {
    return clock.instant().plusNanos(Math.max(0, unit.toNanos(delay)));
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    synchronized (queue) {
      List<Runnable> left = new ArrayList<>(queue);
      queue.clear();
      return left;
    }
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  @Override
  public String toString() {
    return "ManualScheduler{" + clock + ", pending=" + pendingTasks() + "}";
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    volatile Instant at;
    volatile long seq = sequence.incrementAndGet();
    final long periodNanos;

    Task(Callable<V> callable, Instant at, long periodNanos) {
      super(callable);
      this.at = at;
      this.periodNanos = periodNanos;
    }

    void runTask() {
      if (periodNanos == 0) {
        run();
      } else if (runAndReset() && !shutdown) {
        at = clock.instant().plusNanos(periodNanos);
        seq = sequence.incrementAndGet();
        enqueue(this);
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), at));
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
