package dev.smsgateway.benchmarks.events;

import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEventBus;
import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.store.jdbc.JdbcConversationEvents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Conversation events per second, and publish-to-listener latency, on PostgreSQL across two instances (a publishing
 * one and a subscribing one, each with its own {@code LISTEN} connection) against the in-memory bus of one JVM, on
 * the same workload, in one run: rounds alternate (in-memory, PostgreSQL, in-memory...) and the report gives the
 * medians and the median per-round ratio.
 *
 * <p>Workload per round: first, loaded: {@code threads} publishers (default 4) publish {@code events} events (default
 * 2,000) as fast as they can, spread over {@code agents} streams (default 20), all attached to the subscribing
 * instance; events/s is the events divided by the time from the first publish to the last delivery, and the latency
 * includes the queueing. Then, unloaded: {@code paced} events (default 200) one at a time, each published once the
 * previous one arrived. Latency is from the call to {@code publish} to the listener call, both read from this JVM's
 * {@link System#nanoTime()}.
 *
 * <p>Needs {@code SMS_TEST_POSTGRES_URL} ({@code eval "$(scripts/postgres.sh start)"}). Run:
 * {@code scripts/events-benchmark.sh}. Not thread-safe; a program.
 */
public final class EventBusBenchmark {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private EventBusBenchmark() {}

  record Result(double eventsPerSecond, double p50Millis, double p99Millis, double pacedP50Millis,
      double pacedP99Millis) {}

  public static void main(String[] args) throws Exception {
    int events = Integer.getInteger("events", 2_000);
    int agents = Integer.getInteger("agents", 20);
    int threads = Integer.getInteger("threads", 4);
    int rounds = Integer.getInteger("rounds", 5);
    String admin = System.getenv("SMS_TEST_POSTGRES_URL");
    if (admin == null || admin.isBlank()) {
      System.err.println("SMS_TEST_POSTGRES_URL is not set: eval \"$(scripts/postgres.sh start)\" first");
      System.exit(2);
    }
    String db = "sms_bench_events_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    org.postgresql.ds.PGConnectionPoolDataSource pg = new org.postgresql.ds.PGConnectionPoolDataSource();
    String url = admin.replaceFirst("/postgres\\?", "/" + db + "?");
    pg.setURL(url);
    org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(pg);
    pool.setMaxConnections(threads + 8);
    System.out.printf(Locale.ROOT, "events per round %d over %d agents, %d publishing threads, rounds %d (+1 warm-up),"
        + " java %s, %d cpus%n", events, agents, threads, rounds, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    List<Result> memory = new ArrayList<>();
    List<Result> postgres = new ArrayList<>();
    try {
      for (int round = 0; round <= rounds; round++) {
        String tag = "r" + round + "-";
        Result m;
        try (ConversationEventBus bus = ConversationEventBus.inMemory()) {
          m = run(bus, bus, events, agents, threads, tag);
        }
        Result p;
        try (JdbcConversationEvents publisher = postgres(pool, url, "pub");
            JdbcConversationEvents subscriber = postgres(pool, url, "sub")) {
          p = run(publisher, subscriber, events, agents, threads, tag);
        }
        String label = round == 0 ? "warm-up" : "round " + round;
        System.out.printf(Locale.ROOT, "%-8s in-memory %8.0f ev/s p99 %8.3f ms, unloaded p50 %6.3f p99 %6.3f ms"
            + " | postgresql %6.0f ev/s p99 %8.3f ms, unloaded p50 %6.3f p99 %6.3f ms%n", label, m.eventsPerSecond(),
            m.p99Millis(), m.pacedP50Millis(), m.pacedP99Millis(), p.eventsPerSecond(), p.p99Millis(),
            p.pacedP50Millis(), p.pacedP99Millis());
        if (round > 0) {
          memory.add(m);
          postgres.add(p);
        }
      }
    } finally {
      pool.dispose();
      try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
    double[] ratio = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ratio[i] = postgres.get(i).eventsPerSecond() / memory.get(i).eventsPerSecond();
    }
    System.out.printf(Locale.ROOT, "median   in-memory %8.0f ev/s p99 %8.3f ms, unloaded p50 %6.3f p99 %6.3f ms"
        + " | postgresql %6.0f ev/s p99 %8.3f ms, unloaded p50 %6.3f p99 %6.3f ms%n",
        median(memory, Result::eventsPerSecond), median(memory, Result::p99Millis),
        median(memory, Result::pacedP50Millis), median(memory, Result::pacedP99Millis),
        median(postgres, Result::eventsPerSecond), median(postgres, Result::p99Millis),
        median(postgres, Result::pacedP50Millis), median(postgres, Result::pacedP99Millis));
    System.out.printf(Locale.ROOT, "median per-round ratio postgresql/in-memory events/s %.4f%n", median(ratio));
    System.exit(0);
  }

  private static JdbcConversationEvents postgres(javax.sql.DataSource pool, String url, String name) {
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(url);
    return JdbcConversationEvents.builder().dataSource(pool).listenDataSource(direct).name(name)
        .purgeInterval(Duration.ZERO).build();
  }

  private static Result run(ConversationEvents publisher, ConversationEvents subscriber, int events, int agents,
      int threads, String tag) throws Exception {
    Map<String, Long> started = new ConcurrentHashMap<>(events * 2);
    long[] latencies = new long[events];
    AtomicInteger delivered = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(events);
    long[] lastDelivery = new long[1];
    ConversationEvents.Subscription sub = subscriber.subscribe("bench", e -> {
      long now = System.nanoTime();
      Long start = started.get(e.messageId());
      int i = delivered.getAndIncrement();
      if (start != null && i < events) {
        latencies[i] = now - start;
      }
      lastDelivery[0] = now;
      done.countDown();
    });
    for (int a = 0; a < agents; a++) {
      sub.attach(tag + "agent-" + a);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long begin = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        for (int i = thread; i < events; i += threads) {
          String id = tag + i;
          started.put(id, System.nanoTime());
          publisher.publish(ConversationEvent.message(tag + "agent-" + (i % agents), "c-" + (i % agents), id, AT));
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("only " + delivered.get() + " of " + events + " events arrived");
    }
    sub.close();
    if (delivered.get() != events) {
      throw new IllegalStateException(delivered.get() + " deliveries for " + events + " events");
    }
    double seconds = (lastDelivery[0] - begin) / 1e9;
    long[] paced = paced(publisher, subscriber, Integer.getInteger("paced", 200), tag);
    return new Result(events / seconds, percentile(latencies, 0.5), percentile(latencies, 0.99),
        percentile(paced, 0.5), percentile(paced, 0.99));
  }

  /** Latencies of events published one at a time, each after the previous one arrived. */
  private static long[] paced(ConversationEvents publisher, ConversationEvents subscriber, int count, String tag)
      throws Exception {
    java.util.concurrent.SynchronousQueue<Long> arrivals = new java.util.concurrent.SynchronousQueue<>();
    ConversationEvents.Subscription sub = subscriber.subscribe("paced", e -> {
      try {
        arrivals.put(System.nanoTime());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    });
    sub.attach(tag + "paced");
    long[] latencies = new long[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      publisher.publish(ConversationEvent.message(tag + "paced", "c-paced", tag + "p" + i, AT));
      Long arrived = arrivals.poll(1, TimeUnit.MINUTES);
      if (arrived == null) {
        throw new IllegalStateException("paced event " + i + " never arrived");
      }
      latencies[i] = arrived - start;
    }
    sub.close();
    return latencies;
  }

  private static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
  }

  private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
    return median(results.stream().mapToDouble(f).toArray());
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
