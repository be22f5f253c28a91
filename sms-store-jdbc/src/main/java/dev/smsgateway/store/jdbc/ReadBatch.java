package dev.smsgateway.store.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Single-key reads of concurrent callers answered by one statement: a caller queues its key; whoever finds no read
 * running becomes the leader, takes every key queued (at most {@code maxBatch}), reads them in one query
 * (one statement for all the keys) and hands each caller its answer; the others wait for theirs (or lead the next read).
 * A lone caller reads its own key at once, on its own thread: no thread hand-off and no timer. Each answer is what a
 * read of its own would have returned at some instant between the call and its return (the query runs after the key
 * was queued), so a value committed before the call is always seen.
 *
 * <p>An exclusive batch ({@link #exclusive}) is for loaders that take what they read (a delete that returns the rows
 * it removed): when several callers of one batch ask for the same key, the first one queued gets the value and the
 * others null, as if each had taken it with a statement of its own.
 *
 * <p>Thread-safe.
 *
 * @param <K> the key
 * @param <V> the value (null: no row)
 */
final class ReadBatch<K, V> {

  /** Reads the values of distinct {@code keys}; keys without a row may be left out of the map. */
  @FunctionalInterface
  interface Loader<K, V> {
    Map<K, V> load(List<K> keys);
  }

  private record Pending<K, V>(K key, CompletableFuture<V> answer, Thread waiter) {}

  private final Loader<K, V> loader;
  private final int maxBatch;
  // a parked caller looks again after this long even unwoken (a safety net: the leader wakes it)
  private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final ConcurrentLinkedQueue<Pending<K, V>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean reading = new AtomicBoolean();
  private final boolean exclusive;

  ReadBatch(int maxBatch, Loader<K, V> loader) {
    this(maxBatch, loader, false);
  }

  private ReadBatch(int maxBatch, Loader<K, V> loader, boolean exclusive) {
    this.loader = loader;
    this.maxBatch = maxBatch;
    this.exclusive = exclusive;
  }

  /** A batch whose loader takes what it reads: a key's value goes to one caller only (see above). */
  static <K, V> ReadBatch<K, V> exclusive(int maxBatch, Loader<K, V> loader) {
    return new ReadBatch<>(maxBatch, loader, true);
  }

  /**
   * The value for {@code key}, or null; throws what the loader threw. A caller that finds a read running parks until
   * the leader answers it, or wakes it to lead the next read (when its key came too late for the running one): no
   * polling.
   */
  V get(K key) {
    Pending<K, V> mine = new Pending<>(key, new CompletableFuture<>(), Thread.currentThread());
    queue.add(mine);
    while (!mine.answer.isDone()) {
      if (reading.compareAndSet(false, true)) {
        try {
          readQueued();
        } finally {
          reading.set(false);
        }
        // keys queued after this read took its batch: wake the first of their callers to lead the next read (a
        // caller that queued before our flag went down and found it up is seen here, and parks at most briefly)
        Pending<K, V> next = queue.peek();
        if (next != null) {
          wake(next);
        }
      } else {
        LockSupport.parkNanos(this, WAIT_NANOS);
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new CompletionException(new InterruptedException("interrupted while waiting for a batched read"));
        }
      }
    }
    try {
      return mine.answer.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** How many keys wait to be read (for tests). */
  int queued() {
    return queue.size();
  }

  private void readQueued() {
    List<Pending<K, V>> batch = new ArrayList<>();
    for (Pending<K, V> p; batch.size() < maxBatch && (p = queue.poll()) != null; ) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    Set<K> keys = new LinkedHashSet<>();
    batch.forEach(p -> keys.add(p.key));
    Map<K, V> values;
    try {
      values = loader.load(new ArrayList<>(keys));
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> {
        p.answer.completeExceptionally(e);
        wake(p);
      });
      return;
    }
    Set<K> given = exclusive ? new java.util.HashSet<>() : null;
    for (Pending<K, V> p : batch) {
      p.answer.complete(given == null || given.add(p.key) ? values.get(p.key) : null);
      wake(p);
    }
  }

  private static void wake(Pending<?, ?> p) {
    if (p.waiter != Thread.currentThread()) {
      LockSupport.unpark(p.waiter);
    }
  }
}
