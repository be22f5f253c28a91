package dev.smsgateway.store.jdbc;

import dev.smsgateway.SmsTransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the stores' writes on the hot paths (originator puts, transcript lines, seen marks, delivery-report
 * merges, sent messages with their provider links): a caller's write is queued, a flusher thread runs the writes
 * queued meanwhile one after the other in one transaction (at most {@code maxBatch}), commits, and only then does each
 * caller return, so every acknowledged write is durable as before while concurrent callers share one commit (one WAL
 * flush on PostgreSQL, one file write on H2) instead of one each. A batch is written as soon as a flusher is free: no
 * timer delays a lone write. A batch that fails is rolled back and its writes run again one by one, each in
 * auto-commit as without the queue, so one failing write fails alone and a write that lost a race is retried as
 * before.
 *
 * <p>Only writes that never catch a SQL error and go on belong here: on PostgreSQL an error aborts the transaction,
 * and a write that swallowed one would leave the batch to a commit that rolls back. Writes that do (inserts that catch
 * a unique violation on H2 are fine: H2 keeps the transaction; on PostgreSQL they use ON CONFLICT) stay on
 * {@link Jdbc#run}.
 *
 * <p>A write that is one parameterised statement ({@link Statement}) joins the group's JDBC batch of that SQL: a group
 * of 64 originator upserts and transcript lines is two round trips, not 64. The flushers run the groups' statements
 * one after the other on their connection, so every write that can be a {@link Statement} should be one. Writes that
 * answer with rows (an upsert returning the row it replaced) cannot join a JDBC batch; those of one kind can give a
 * {@link Combiner}, and a group then runs them in one call (one multi-row statement) instead of one round trip each.
 *
 * <p>{@link #writeAsync} queues the same way without blocking the caller: its future completes after the commit, on
 * the completion executor given at construction (never on a flusher, so that what callers chain to it cannot hold up
 * the next commit), one task for all of a group's. {@link #writeAllAsync} (several statements committed together: a
 * sent message and its links) completes on the flusher, for a caller that hands off at once (the gateway).
 *
 * <p>Thread-safe.
 */
final class GroupCommit implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** Where a write's future completes. */
  private enum Completion {
    /** On the flusher: a blocked caller is woken, or a caller that promised to hand off at once continues there. */
    FLUSHER,
    /** On the completion executor, one task per group. */
    EXECUTOR
  }

  /**
   * A queued write: {@code statements} (batched with the group's statements of the same SQL; the result is the
   * first one's), or {@code work} alone when there are none ({@code work} is also what runs when the group fails).
   */
  private record Item(String operation, Jdbc.SqlWork<?> work, CompletableFuture<Object> done,
      List<Statement<?>> statements, Completion completion, Combiner<Object, Object> combiner, Object arg) {

    Item(String operation, Jdbc.SqlWork<?> work, CompletableFuture<Object> done, List<Statement<?>> statements,
        Completion completion) {
      this(operation, work, done, statements, completion, null, null);
    }

    Item(String operation, Jdbc.SqlWork<?> work, CompletableFuture<Object> done, Statement<?> statement) {
      this(operation, work, done, List.of(statement), Completion.FLUSHER);
    }

    Item(String operation, Jdbc.SqlWork<?> work, CompletableFuture<Object> done) {
      this(operation, work, done, List.of(), Completion.FLUSHER);
    }

    boolean async() {
      return completion == Completion.EXECUTOR;
    }
  }

  /**
   * A write that is one parameterised statement: in a group, the writes with the same {@code sql} run as one JDBC
   * batch (one round trip for all of them, pipelined by the driver) instead of one statement each. {@code result}
   * turns the statement's update count into the caller's answer.
   */
  record Statement<T>(String sql, Binder binder, java.util.function.IntFunction<T> result) {

    /** Runs it alone (outside a batch). */
    Jdbc.SqlWork<T> alone() {
      return c -> {
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
          binder.bind(ps);
          return result.apply(ps.executeUpdate());
        }
      };
    }
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  interface Binder {
    void bind(java.sql.PreparedStatement ps) throws java.sql.SQLException;
  }

  /**
   * Writes of one kind that a group runs in one call, for writes that answer with rows and so cannot join a JDBC
   * batch (an upsert that returns the row it replaced): the group's writes with the same combiner are handed to one
   * {@code run}, in queue order, where the group's first of them would have run alone. {@code run} answers one result
   * per argument, in their order; it must not catch a SQL error and go on (see the class comment).
   */
  @FunctionalInterface
  interface Combiner<A, R> {
    List<R> run(java.sql.Connection c, List<A> args) throws java.sql.SQLException;
  }

  private final Jdbc jdbc;
  private final int maxBatch;
  private final java.util.concurrent.Executor completions;
  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  // held by the flusher that gathers a group and runs its statements (not during its commit)
  private final java.util.concurrent.locks.ReentrantLock gathering = new java.util.concurrent.locks.ReentrantLock();
  private final List<Thread> flushers = new ArrayList<>();
  private volatile boolean closed;

  GroupCommit(Jdbc jdbc, int flusherThreads, int maxBatch, java.util.concurrent.Executor completions) {
    this.jdbc = jdbc;
    this.maxBatch = maxBatch;
    this.completions = completions;
    for (int i = 0; i < flusherThreads; i++) {
      Thread t = new Thread(this::flushLoop, "sms-jdbc-group-commit-" + (i + 1));
      t.setDaemon(true);
      flushers.add(t);
      t.start();
    }
  }

  /** Runs {@code work} in the next group's transaction and returns its result once that committed. */
  <T> T write(String operation, Jdbc.SqlWork<T> work) {
    return await(new Item(operation, work, new CompletableFuture<>()));
  }

  /**
   * {@link #write} of {@code arg}, run together with the group's other writes of the same {@code combiner} (see
   * {@link Combiner}); {@code alone} is what runs instead when the group failed, or outside a group.
   */
  @SuppressWarnings("unchecked")
  <A, R> R write(String operation, Combiner<A, R> combiner, A arg, Jdbc.SqlWork<R> alone) {
    return await(new Item(operation, alone, new CompletableFuture<>(), List.of(), Completion.FLUSHER,
        (Combiner<Object, Object>) (Combiner<?, ?>) combiner, arg));
  }

  /**
   * {@link #write} of {@code arg} with the group's other writes of the same {@code combiner}, without blocking the
   * caller: the future completes after the commit, on the completion executor (see {@link #writeAsync}).
   */
  @SuppressWarnings("unchecked")
  <A, R> CompletableFuture<R> writeAsync(String operation, Combiner<A, R> combiner, A arg, Jdbc.SqlWork<R> alone) {
    return enqueueAsync(new Item(operation, alone, new CompletableFuture<>(), List.of(), Completion.EXECUTOR,
        (Combiner<Object, Object>) (Combiner<?, ?>) combiner, arg));
  }

  /** {@link #write} of one statement, batched with the group's other writes of the same SQL. */
  <T> T write(String operation, Statement<T> statement) {
    return write(operation, statement, statement.alone());
  }

  /**
   * {@link #write} of one statement, batched with the group's other writes of the same SQL; {@code alone} is what runs
   * instead when the group failed, or outside a group (it may catch the statement's error and answer: the batch never
   * does).
   */
  <T> T write(String operation, Statement<T> statement, Jdbc.SqlWork<T> alone) {
    return await(new Item(operation, alone, new CompletableFuture<>(), statement));
  }

  /**
   * Queues {@code item} for the next group and waits for its commit; once closed, runs its work alone on the caller's
   * thread instead.
   */
  @SuppressWarnings("unchecked")
  private <T> T await(Item item) {
    if (closed) {
      return (T) jdbc.run(item.operation, item.work);
    }
    queue.add(item);
    if (closed && queue.remove(item)) {
      return (T) jdbc.run(item.operation, item.work);
    }
    try {
      return (T) item.done.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** {@link #writeAsync} of one statement, batched with the group's other writes of the same SQL. */
  <T> CompletableFuture<T> writeAsync(String operation, Statement<T> statement) {
    return enqueueAsync(new Item(operation, statement.alone(), new CompletableFuture<>(), List.of(statement),
        Completion.EXECUTOR));
  }

  /**
   * Queues {@code statements} as one write (each batched with the group's statements of the same SQL, all committed
   * together; alone, in one transaction of their own); the future completes once committed <em>on the flusher</em>:
   * only for callers that hand what follows to a thread of their own at once.
   */
  CompletableFuture<Void> writeAllAsync(String operation, List<Statement<?>> statements) {
    List<Statement<?>> all = List.copyOf(statements);
    Jdbc.SqlWork<Void> alone = c -> Jdbc.atomically(c, x -> {
      for (Statement<?> st : all) {
        st.alone().run(x);
      }
      return null;
    });
    return enqueueAsync(new Item(operation, alone, new CompletableFuture<>(), all, Completion.FLUSHER));
  }

  /**
   * Queues {@code work} for the next group's transaction; the future completes with its result once that committed
   * (or fails with the store's error), on the completion executor.
   */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> writeAsync(String operation, Jdbc.SqlWork<T> work) {
    return enqueueAsync(new Item(operation, work, new CompletableFuture<>(), List.of(), Completion.EXECUTOR));
  }

  /**
   * The item's own future is the caller's: a flush completes the asynchronous items of a group with one task on the
   * completion executor (one thread hand-off per group, not one per write).
   */
  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> enqueueAsync(Item item) {
    if (closed) {
      runAlone(item);
    } else {
      queue.add(item);
      if (closed && queue.remove(item)) {
        runAlone(item);
      }
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) item.done;
  }

  /** How many writes wait for a flusher (for tests). */
  int queued() {
    return queue.size();
  }

  private void flushLoop() {
    List<Item> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        // One flusher gathers and runs its group's statements at a time; the lock goes before the commit. What is
        // queued while the other runs its statements joins the next group instead of going alone: a flusher that
        // took whatever was there the moment it was free made many groups of one or two beside full ones.
        gathering.lock();
        try {
          batch.add(first);
          queue.drainTo(batch, maxBatch - 1);
          flush(batch);
        } finally {
          releaseGathering();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.forEach(i -> fail(i, new SmsTransportException(
            "JDBC store: " + i.operation + " interrupted", null, null, false, e)));
        return;
      } catch (RuntimeException | Error e) {
        batch.forEach(i -> fail(i, e)); // never leave a caller waiting for ever
        log.error("JDBC store: group commit failed", e);
      } finally {
        batch.clear();
      }
    }
  }

  /** Gives the gathering lock back (see flushLoop) if this flusher still holds it; later calls do nothing. */
  private void releaseGathering() {
    if (gathering.isHeldByCurrentThread()) {
      gathering.unlock();
    }
  }

  /** Writes {@code batch} in one transaction; the gathering lock goes once its statements ran, before the commit. */
  private void flush(List<Item> batch) {
    if (batch.size() == 1) {
      releaseGathering(); // one statement in auto-commit: its commit is part of its round trip
      runAlone(batch.get(0));
      return;
    }
    Object[] results = new Object[batch.size()];
    try {
      jdbc.inTransaction("group commit of " + batch.size() + " writes", c -> {
        // one JDBC batch per statement (in the order of their first write), then the other writes in queue order
        java.util.Map<String, List<int[]>> bySql = new java.util.LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
          List<Statement<?>> sts = batch.get(i).statements;
          for (int k = 0; k < sts.size(); k++) {
            bySql.computeIfAbsent(sts.get(k).sql(), x -> new ArrayList<>()).add(new int[] {i, k});
          }
        }
        for (java.util.Map.Entry<String, List<int[]>> e : bySql.entrySet()) {
          try (java.sql.PreparedStatement ps = c.prepareStatement(e.getKey())) {
            for (int[] at : e.getValue()) {
              batch.get(at[0]).statements.get(at[1]).binder().bind(ps);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int j = 0; j < counts.length; j++) {
              int[] at = e.getValue().get(j);
              if (at[1] == 0) {
                results[at[0]] = batch.get(at[0]).statements.get(0).result().apply(counts[j]);
              }
            }
          }
        }
        java.util.Set<Combiner<Object, Object>> combined = null;
        for (int i = 0; i < batch.size(); i++) {
          Item item = batch.get(i);
          if (!item.statements.isEmpty()) {
            continue;
          }
          if (item.combiner == null) {
            results[i] = item.work.run(c);
            continue;
          }
          if (combined == null) {
            combined = new java.util.HashSet<>();
          }
          if (combined.add(item.combiner)) {
            runCombined(c, batch, i, results);
          }
        }
        releaseGathering(); // the commit (a WAL flush) while the other flusher gathers the next group
        return null;
      });
    } catch (RuntimeException e) {
      releaseGathering();
      log.debug("JDBC store: a group of {} writes failed ({}); writing them one by one", batch.size(), e.toString());
      batch.forEach(this::runAlone);
      return;
    }
    List<Runnable> later = null;
    for (int i = 0; i < batch.size(); i++) {
      Item item = batch.get(i);
      Object result = results[i];
      if (!item.async()) {
        item.done.complete(result); // a blocked caller (wake it), or one that continues on a thread of its own
      } else {
        if (later == null) {
          later = new ArrayList<>();
        }
        later.add(() -> item.done.complete(result));
      }
    }
    if (later != null) {
      List<Runnable> all = later;
      completions.execute(() -> all.forEach(Runnable::run));
    }
  }

  /** Runs the writes of the group that share the combiner of {@code batch.get(first)}, in one call. */
  private static void runCombined(java.sql.Connection c, List<Item> batch, int first, Object[] results)
      throws java.sql.SQLException {
    Combiner<Object, Object> combiner = batch.get(first).combiner;
    List<Integer> at = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    for (int i = first; i < batch.size(); i++) {
      if (batch.get(i).combiner == combiner) {
        at.add(i);
        args.add(batch.get(i).arg);
      }
    }
    List<Object> answers = combiner.run(c, args);
    if (answers.size() != args.size()) {
      throw new IllegalStateException("combined write answered " + answers.size() + " results for " + args.size());
    }
    for (int k = 0; k < at.size(); k++) {
      results[at.get(k)] = answers.get(k);
    }
  }

  private void runAlone(Item item) {
    Object result;
    try {
      result = jdbc.run(item.operation, item.work);
    } catch (RuntimeException e) {
      fail(item, e);
      return;
    }
    if (item.async()) {
      completions.execute(() -> item.done.complete(result));
    } else {
      item.done.complete(result);
    }
  }

  private void fail(Item item, Throwable error) {
    if (item.async()) {
      completions.execute(() -> item.done.completeExceptionally(error));
    } else {
      item.done.completeExceptionally(error);
    }
  }

  /** Writes what is queued, then stops the flushers (waiting up to 10 seconds). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // no interrupt: an interrupted thread would close H2's file channel; the flushers poll every 100 ms
    for (Thread t : flushers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Item i; (i = queue.poll()) != null; ) {
      runAlone(i);
    }
  }
}
