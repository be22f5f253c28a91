package dev.smsgateway.store.jdbc;

import dev.smsgateway.SmsTransportException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for one kind of write: what concurrent callers queue is written by one thread, many items per
 * transaction (one JDBC batch per statement), and each item's future completes after the commit that made it durable.
 * A batch is flushed as soon as the previous commit returned (so the next batch forms while a commit waits for the
 * disk) and holds at most {@code maxBatch} items: no timer delays a lone write. A batch that fails is rolled back and
 * its items written one transaction each, so one bad item fails alone.
 *
 * <p>Futures complete on the queue's thread: continue on an executor of your own, never block there.
 *
 * <p>Thread-safe.
 *
 * @param <T> the queued item
 */
final class WriteQueue<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

  /** Writes a batch of items on {@code connection}, inside the queue's transaction. */
  @FunctionalInterface
  interface BatchWriter<T> {
    void write(Connection connection, List<T> items) throws SQLException;
  }

  private record Pending<T>(T item, CompletableFuture<Void> done) {}

  private final String operation;
  private final Jdbc jdbc;
  private final BatchWriter<T> writer;
  private final int maxBatch;
  private final LinkedBlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
  private final Thread flusher;
  private volatile boolean closed;

  WriteQueue(String operation, Jdbc jdbc, int maxBatch, BatchWriter<T> writer) {
    this.operation = operation;
    this.jdbc = jdbc;
    this.writer = writer;
    this.maxBatch = maxBatch;
    this.flusher = new Thread(this::flushLoop, "sms-jdbc-" + operation.replace(' ', '-'));
    flusher.setDaemon(true);
    flusher.start();
  }

  /** Queues {@code item}; the future completes once it is committed, or fails with the store's error. */
  CompletableFuture<Void> submit(T item) {
    Pending<T> pending = new Pending<>(item, new CompletableFuture<>());
    if (closed) {
      pending.done.completeExceptionally(closedError());
      return pending.done;
    }
    queue.add(pending);
    if (closed && queue.remove(pending)) {
      pending.done.completeExceptionally(closedError());
    }
    return pending.done;
  }

  private SmsTransportException closedError() {
    return new SmsTransportException("JDBC store: " + operation + " refused: the store is closed", null, null, false,
        null);
  }

  private void flushLoop() {
    List<Pending<T>> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        flush(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.forEach(p -> p.done.completeExceptionally(closedError()));
        return;
      } catch (RuntimeException | Error e) {
        // never leave a caller waiting for ever
        batch.forEach(p -> p.done.completeExceptionally(e));
        log.error("JDBC store: {} queue failed", operation, e);
      } finally {
        batch.clear();
      }
    }
  }

  private void flush(List<Pending<T>> batch) {
    List<T> items = new ArrayList<>(batch.size());
    batch.forEach(p -> items.add(p.item()));
    try {
      jdbc.inTransaction(operation, c -> {
        writer.write(c, items);
        return null;
      });
      batch.forEach(p -> p.done.complete(null));
      return;
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).done.completeExceptionally(e);
        return;
      }
      log.debug("JDBC store: a batch of {} {} writes failed ({}); writing them one by one", batch.size(), operation,
          e.toString());
    }
    for (Pending<T> p : batch) {
      try {
        jdbc.inTransaction(operation, c -> {
          writer.write(c, List.of(p.item()));
          return null;
        });
        p.done.complete(null);
      } catch (RuntimeException e) {
        p.done.completeExceptionally(e);
      }
    }
  }

  /** Writes what is queued, then stops the thread (waiting up to 10 seconds). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // no interrupt: an interrupted thread would close H2's file channel; the flusher polls every 100 ms
    try {
      flusher.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Pending<T> p; (p = queue.poll()) != null; ) {
      p.done.completeExceptionally(closedError());
    }
  }
}
