package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.test.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  private final JdbcConnectionPool pool =
      JdbcConnectionPool.create("jdbc:h2:mem:group-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  private final Jdbc jdbc = new Jdbc(pool, Dialect.H2);
  private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "test-completion");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger tasks = new AtomicInteger();

  /** A write that holds the (only) flusher until {@code release}, so that what is queued next forms one group. */
  private static CompletableFuture<Integer> occupyFlusher(GroupCommit group, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<Integer> first = group.writeAsync("blocking", c -> {
      running.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    });
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  @AfterEach
  void close() {
    jdbc.close();
    threads.shutdownNow();
    pool.dispose();
  }

  @Test
  @DisplayName("the asynchronous writes of one group complete with one task on the completion executor, never on"
      + " a flusher")
  void oneCompletionTaskPerGroup() throws Exception {
    GroupCommit group = new GroupCommit(jdbc, 1, 64, command -> {
      tasks.incrementAndGet();
      threads.execute(command);
    });
    try {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Integer> first = occupyFlusher(group, release);
      List<CompletableFuture<String>> completedOn = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        int n = i;
        completedOn.add(group.writeAsync("write " + i, c -> n).thenApply(r -> r + "@"
            + Thread.currentThread().getName()));
      }
      Eventually.await("three writes queued behind the first", Duration.ofSeconds(5), () -> group.queued() == 3);
      release.countDown();
      assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(completedOn.get(i).get(5, TimeUnit.SECONDS)).isEqualTo((i + 1) + "@test-completion");
      }
      // one task for the lone first write, one for the group of three
      assertThat(tasks.get()).isEqualTo(2);
    } finally {
      group.close();
    }
  }

  @Test
  @DisplayName("combined writes queued together run as one call, in queue order, each caller getting its own answer;"
      + " when that call fails each runs alone")
  void combinedWrites() throws Exception {
    GroupCommit group = new GroupCommit(jdbc, 1, 64, threads);
    ExecutorService callers = Executors.newFixedThreadPool(4);
    List<List<String>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean failCombined = new java.util.concurrent.atomic.AtomicBoolean();
    GroupCommit.Combiner<String, String> upper = (c, args) -> {
      calls.add(List.copyOf(args));
      if (failCombined.get()) {
        throw new java.sql.SQLException("refused", "22000"); // not transient: no retry
      }
      return args.stream().map(a -> a.toUpperCase(java.util.Locale.ROOT)).toList();
    };
    try {
      for (boolean fail : new boolean[] {false, true}) {
        failCombined.set(fail);
        calls.clear();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = occupyFlusher(group, release);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (String arg : List.of("a", "b", "c")) {
          answers.add(CompletableFuture.supplyAsync(() -> group.write("combined " + arg, upper, arg,
              c -> arg + " alone"), callers));
          int queued = answers.size();
          Eventually.await(arg + " queued", Duration.ofSeconds(5), () -> group.queued() == queued);
        }
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
        List<String> got = new ArrayList<>();
        for (CompletableFuture<String> f : answers) {
          got.add(f.get(5, TimeUnit.SECONDS));
        }
        if (!fail) {
          assertThat(got).containsExactly("A", "B", "C");
          assertThat(calls).containsExactly(List.of("a", "b", "c"));
        } else {
          assertThat(got).containsExactly("a alone", "b alone", "c alone");
          assertThat(calls).containsExactly(List.of("a", "b", "c"));
        }
      }
    } finally {
      callers.shutdownNow();
      group.close();
    }
  }

  /** Rows in table {@code t}, read on a connection of its own: only what was committed. */
  private int committedRows() {
    return jdbc.run("count", c -> {
      try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  private void createTable() {
    jdbc.run("create", c -> {
      try (var st = c.createStatement()) {
        return st.executeUpdate("CREATE TABLE t (k VARCHAR PRIMARY KEY)");
      }
    });
  }

  @Test
  @DisplayName("asynchronous combined writes queued together: one call with their arguments in queue order (other"
      + " writes between them run in their place), each future its own answer, completed after the commit by one"
      + " task on the completion executor, never on the flusher")
  void combinedAsyncWrites() throws Exception {
    createTable();
    GroupCommit group = new GroupCommit(jdbc, 1, 64, command -> {
      tasks.incrementAndGet();
      threads.execute(command);
    });
    List<List<String>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    GroupCommit.Combiner<String, String> insertUpper = (c, args) -> {
      calls.add(List.copyOf(args));
      try (var ps = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
        for (String a : args) {
          ps.setString(1, a);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return args.stream().map(a -> a.toUpperCase(java.util.Locale.ROOT)).toList();
    };
    try {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Integer> first = occupyFlusher(group, release);
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (String arg : List.of("a", "plain", "b", "c")) {
        CompletableFuture<String> f = arg.equals("plain")
            ? group.writeAsync("plain", c -> "plain")
            : group.writeAsync("combined " + arg, insertUpper, arg, c -> arg + " alone");
        // what a caller chained to the future sees: the thread, and whether the group's rows are committed
        answers.add(f.thenApply(r -> r + "@" + Thread.currentThread().getName() + " rows=" + committedRows()));
      }
      Eventually.await("four writes queued behind the first", Duration.ofSeconds(5), () -> group.queued() == 4);
      release.countDown();
      assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
      List<String> got = new ArrayList<>();
      for (CompletableFuture<String> f : answers) {
        got.add(f.get(5, TimeUnit.SECONDS));
      }
      assertThat(got).containsExactly("A@test-completion rows=3", "plain@test-completion rows=3",
          "B@test-completion rows=3", "C@test-completion rows=3");
      assertThat(calls).containsExactly(List.of("a", "b", "c"));
      // one task for the lone first write, one for the group of four
      assertThat(tasks.get()).isEqualTo(2);
    } finally {
      group.close();
    }
  }

  @Test
  @DisplayName("asynchronous combined writes whose call fails (an error, or a wrong number of answers): the group is"
      + " rolled back and each runs alone, its future completing with that answer on the completion executor")
  void combinedAsyncFallsBackAlone() throws Exception {
    createTable();
    GroupCommit group = new GroupCommit(jdbc, 1, 64, threads);
    List<List<String>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
    GroupCommit.Combiner<String, String> combiner = (c, args) -> {
      calls.add(List.copyOf(args));
      try (var ps = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
        ps.setString(1, "combined-" + calls.size()); // rolled back with the group
        ps.executeUpdate();
      }
      if (failure.get().equals("error")) {
        throw new java.sql.SQLException("refused", "22000"); // not transient: no retry
      }
      return List.of("only one answer");
    };
    try {
      for (String mode : List.of("error", "answers")) {
        failure.set(mode);
        calls.clear();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = occupyFlusher(group, release);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (String arg : List.of("a", "b", "c")) {
          answers.add(group.writeAsync("combined " + arg, combiner, arg, c -> arg + " alone")
              .thenApply(r -> r + "@" + Thread.currentThread().getName()));
        }
        Eventually.await(mode + ": three writes queued", Duration.ofSeconds(5), () -> group.queued() == 3);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
        List<String> got = new ArrayList<>();
        for (CompletableFuture<String> f : answers) {
          got.add(f.get(5, TimeUnit.SECONDS));
        }
        assertThat(got).as(mode).containsExactly("a alone@test-completion", "b alone@test-completion",
            "c alone@test-completion");
        assertThat(calls).as(mode).containsExactly(List.of("a", "b", "c"));
        assertThat(committedRows()).as(mode + ": the failed group's row rolled back").isZero();
      }
    } finally {
      group.close();
    }
  }

  @Test
  @DisplayName("a lone asynchronous combined write (nothing else queued) runs its own work, not the combiner")
  void loneCombinedAsyncRunsAlone() throws Exception {
    GroupCommit group = new GroupCommit(jdbc, 1, 64, threads);
    List<List<String>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    GroupCommit.Combiner<String, String> combiner = (c, args) -> {
      calls.add(List.copyOf(args));
      return args;
    };
    try {
      assertThat(group.writeAsync("combined", combiner, "a", c -> "a alone").get(5, TimeUnit.SECONDS))
          .isEqualTo("a alone");
      assertThat(calls).isEmpty();
    } finally {
      group.close();
    }
  }

  @Test
  @DisplayName("a blocking write returns its result once committed; a failed asynchronous write fails its future"
      + " with the store's error, on the completion executor")
  void blockingAndFailed() throws Exception {
    GroupCommit group = new GroupCommit(jdbc, 1, 64, command -> {
      tasks.incrementAndGet();
      threads.execute(command);
    });
    try {
      int seven = group.write("blocking", (Jdbc.SqlWork<Integer>) c -> 7);
      assertThat(seven).isEqualTo(7);
      CompletableFuture<String> failed = group.<Integer>writeAsync("bad", c -> {
        throw new java.sql.SQLException("no such table", "42S02");
      }).handle((r, e) -> e.getClass().getSimpleName() + "@" + Thread.currentThread().getName());
      assertThat(failed.get(5, TimeUnit.SECONDS)).startsWith("SmsTransportException@");
      assertThat(tasks.get()).isEqualTo(1);
    } finally {
      group.close();
    }
  }

  @Test
  @DisplayName("the statements of one writeAllAsync commit together, batched with other writes; when one fails they"
      + " are rolled back together and the future fails; it completes on the flusher")
  void writeAllIsAtomic() throws Exception {
    jdbc.run("create", c -> {
      try (var st = c.createStatement()) {
        return st.executeUpdate("CREATE TABLE t (k VARCHAR PRIMARY KEY)");
      }
    });
    GroupCommit group = new GroupCommit(jdbc, 1, 64, command -> {
      tasks.incrementAndGet();
      threads.execute(command);
    });
    try {
      // the first row's statement waits until the callback is attached: a future already complete would run the
      // callback on this thread instead of the flusher
      java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
      GroupCommit.Statement<Integer> first = new GroupCommit.Statement<>("INSERT INTO t (k) VALUES (?)", ps -> {
        try {
          attached.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ps.setString(1, "a");
      }, n -> n);
      CompletableFuture<String> ok = group.writeAllAsync("two rows", List.of(first, insert("b")))
          .thenApply(v -> Thread.currentThread().getName());
      attached.countDown();
      assertThat(ok.get(5, TimeUnit.SECONDS)).startsWith("sms-jdbc-group-commit-");
      CompletableFuture<Void> clash = group.writeAllAsync("a new row and a duplicate", List.of(insert("c"),
          insert("a")));
      assertThat(clash).failsWithin(Duration.ofSeconds(5));
      int rows = jdbc.run("count", c -> {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(rows).isEqualTo(2);
      assertThat(tasks.get()).isZero();
    } finally {
      group.close();
    }
  }

  private static GroupCommit.Statement<Integer> insert(String key) {
    return new GroupCommit.Statement<>("INSERT INTO t (k) VALUES (?)", ps -> ps.setString(1, key), n -> n);
  }
}
