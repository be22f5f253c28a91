package dev.smsgateway.store.jdbc;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that complete the futures of asynchronous writes ({@link GroupCommit#writeAsync}) once their group
 * committed: two daemon threads, so that what callers chain to a future (the rest of a conversation's start, a
 * caller's own callback) never runs on a flusher and never holds up the next commit. Once closed, a completion runs on
 * the thread that completes the write. Thread-safe.
 */
final class Completions implements Executor, AutoCloseable {

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ExecutorService pool;

  Completions() {
    int id = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sms-jdbc-completion-" + id + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void execute(Runnable command) {
    try {
      pool.execute(command);
    } catch (RejectedExecutionException e) {
      command.run(); // closed: complete here rather than never
    }
  }

  /** Runs what is queued, then stops the threads (waiting up to 10 seconds). */
  @Override
  public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
