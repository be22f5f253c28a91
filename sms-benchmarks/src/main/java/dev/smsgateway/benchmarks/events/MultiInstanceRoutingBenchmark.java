package dev.smsgateway.benchmarks.events;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.benchmarks.Median;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryAgentStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.jdbc.JdbcConversationEvents;
import dev.smsgateway.store.jdbc.JdbcStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Routed customer replies per second, and the latency from the provider callback to the agent's listener, for a
 * contact center on three instances sharing one PostgreSQL database against one instance on in-memory stores, in one
 * run with alternating rounds (in-memory, PostgreSQL, in-memory...); the report gives medians and the median of the
 * per-round ratios.
 *
 * <p>Set-up, once: {@code customers} customers (default 200), each in an open conversation an agent started, over
 * {@code agents} agents (default 20). On PostgreSQL the three instances are three {@link ConversationService}s in this
 * JVM, each with its own connection pool, {@link JdbcStores} and {@link JdbcConversationEvents} (its own
 * {@code LISTEN} connection): every agent is registered on instance A, the provider callbacks land on B and C in
 * turn, so every reply crosses instances through the events bus (a {@code NOTIFY}, then A reads the event, the
 * conversation and its transcript). In memory, one service does everything and the listener is called on the
 * callback's thread.
 *
 * <p>Options ({@code --name value}): {@code --replies}, {@code --agents}, {@code --customers}, {@code --threads},
 * {@code --rounds} (default 5).
 *
 * <p>Per round, {@code threads} callback threads (default 4) hand {@code replies} replies (default 2,000) to
 * {@link ConversationService#handle} as fast as it returns. Replies/s is the replies divided by the time from the
 * first callback to the last listener call; the latency of a reply runs from the start of its callback to the
 * listener call on the agent's instance, both read from this JVM's {@link System#nanoTime()} (loaded, it includes the
 * wait behind the replies handed over before). Then, unloaded, {@value #PACED} replies one at a time, each handed over
 * once the previous one was heard. Every reply must be heard once, on A.
 *
 * <p>Needs {@code SMS_TEST_POSTGRES_URL} ({@code eval "$(scripts/postgres.sh start)"}). Run:
 * {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-instances -Dbench.args="--rounds 5"}. Not thread-safe; a program.
 */
public final class MultiInstanceRoutingBenchmark {

  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private MultiInstanceRoutingBenchmark() {}

  record Result(double repliesPerSecond, double p50Millis, double p99Millis, double pacedP50Millis,
      double pacedP99Millis) {}

  /** Where the agents' listeners hear replies: latency per reply, and a count to wait for. */
  static final class Ear implements ConversationListener {
    final Map<String, Long> started = new ConcurrentHashMap<>();
    final Map<String, Boolean> heard = new ConcurrentHashMap<>();
    volatile long[] latencies = new long[0];
    final AtomicLong count = new AtomicLong();
    volatile CountDownLatch done = new CountDownLatch(0);
    volatile long lastHeard;

    void reset(int replies) {
      started.clear();
      heard.clear();
      latencies = new long[replies];
      count.set(0);
      done = new CountDownLatch(replies);
    }

    @Override
    public void onMessage(Conversation conversation, InboundSms sms) {
      long now = System.nanoTime();
      Long start = started.get(sms.providerMessageId());
      if (start == null) {
        return;   // not this round's
      }
      if (heard.putIfAbsent(sms.providerMessageId(), Boolean.TRUE) != null) {
        throw new IllegalStateException("reply heard twice: " + sms.providerMessageId());
      }
      int i = (int) count.getAndIncrement();
      latencies[i] = now - start;
      lastHeard = now;
      done.countDown();
    }
  }

  static RoutingConfiguration routing() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("US").delivery(Delivery.QUEUE)
            .originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder().idleTimeout(Duration.ofHours(1)).agentAcceptTimeout(
                Duration.ofMinutes(5)))
            .addNumber(n -> n.number(BUSINESS.address()).displayName("Acme Sales").queue("sales")))
        .build();
  }

  private static ConversationService.Builder service(Ear ear) {
    AtomicLong ids = new AtomicLong();
    String prefix = UUID.randomUUID().toString().substring(0, 8);
    return ConversationService.builder().configuration(routing()).automaticSweeps(false).listener(ear)
        .sender(sms -> CompletableFuture.completedFuture(new SendReceipt(prefix + "-" + ids.incrementAndGet(), "smpp",
            List.of("smsc"), 1, Clock.systemUTC().instant(), Map.of())));
  }

  private static PhoneNumber customer(int i) {
    return PhoneNumber.of("+1415555" + String.format("%04d", 1000 + i));
  }

  /** Registers the agents on {@code home} and opens one conversation per customer from it. */
  private static void setUp(ConversationService home, int agents, int customers) throws Exception {
    for (int a = 0; a < agents; a++) {
      home.registerAgent("agent-" + a, customers, Set.of("sales"));
      home.setPresence("agent-" + a, Presence.AVAILABLE);
    }
    for (int k = 0; k < customers; k++) {
      home.startOutbound("agent-" + (k % agents), BUSINESS.address(), customer(k).e164(), "Your order " + k
          + " shipped", null).get(1, TimeUnit.MINUTES);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, Integer> options = new java.util.HashMap<>(Map.of("replies", 2_000, "agents", 20, "customers", 200,
        "threads", 4, "rounds", 5));
    for (int i = 0; i + 1 < args.length; i += 2) {
      String name = args[i].replaceFirst("^--", "");
      if (!options.containsKey(name)) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
      }
      options.put(name, Integer.parseInt(args[i + 1]));
    }
    int replies = options.get("replies");
    int agents = options.get("agents");
    int customers = options.get("customers");
    int threads = options.get("threads");
    int rounds = options.get("rounds");
    String admin = System.getenv("SMS_TEST_POSTGRES_URL");
    if (admin == null || admin.isBlank()) {
      System.err.println("SMS_TEST_POSTGRES_URL is not set: eval \"$(scripts/postgres.sh start)\" first");
      System.exit(2);
    }
    String db = "sms_bench_instances_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    String url = admin.replaceFirst("/postgres\\?", "/" + db + "?");
    System.out.printf(Locale.ROOT, "replies per round %d from %d customers to %d agents, %d callback threads, rounds %d"
        + " (+1 warm-up), java %s, %d cpus, load %s%n", replies, customers, agents, threads, rounds,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), load());
    List<AutoCloseable> closers = new ArrayList<>();
    List<Result> memory = new ArrayList<>();
    List<Result> postgres = new ArrayList<>();
    try {
      Ear memoryEar = new Ear();
      ConversationService single = service(memoryEar).originatorStore(new InMemoryOriginatorStore(Clock.systemUTC()))
          .optOutStore(new InMemoryOptOutStore()).conversationStore(new InMemoryConversationStore())
          .agentStore(new InMemoryAgentStore()).build();
      closers.add(single);
      setUp(single, agents, customers);

      Ear agentsEar = new Ear();
      ConversationService[] instances = new ConversationService[3];
      for (int i = 0; i < 3; i++) {
        String name = "instance-" + (char) ('a' + i);
        PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
        pg.setURL(url);
        JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
        pool.setMaxConnections(threads + 8);
        JdbcStores stores = JdbcStores.builder().dataSource(pool).purgeInterval(Duration.ZERO).build();
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(url);
        JdbcConversationEvents events = JdbcConversationEvents.builder().dataSource(pool).listenDataSource(direct)
            .name(name).purgeInterval(Duration.ZERO).build();
        instances[i] = service(i == 0 ? agentsEar : new Ear()).originatorStore(stores.originatorStore())
            .optOutStore(stores.optOutStore()).conversationStore(stores.conversationStore())
            .agentStore(stores.agentStore()).messageStore(stores.messageStore()).events(events, name).build();
        ConversationService service = instances[i];
        closers.add(() -> {
          service.close();
          events.close();
          stores.close();
          pool.dispose();
        });
      }
      setUp(instances[0], agents, customers);

      for (int round = 0; round <= rounds; round++) {
        String tag = "r" + round + "-";
        Result m = run(List.of(single), memoryEar, replies, customers, threads, tag + "m");
        Result p = run(List.of(instances[1], instances[2]), agentsEar, replies, customers, threads, tag + "p");
        String label = round == 0 ? "warm-up" : "round " + round;
        System.out.printf(Locale.ROOT, "%-8s in-memory %7.0f replies/s p50 %7.3f p99 %7.3f ms, unloaded p50 %6.3f"
            + " p99 %6.3f ms | postgresql x3 %5.0f replies/s p50 %8.3f p99 %8.3f ms, unloaded p50 %6.3f p99 %7.3f ms"
            + " | load %s%n", label, m.repliesPerSecond(), m.p50Millis(), m.p99Millis(), m.pacedP50Millis(),
            m.pacedP99Millis(), p.repliesPerSecond(), p.p50Millis(), p.p99Millis(), p.pacedP50Millis(),
            p.pacedP99Millis(), load());
        if (round > 0) {
          memory.add(m);
          postgres.add(p);
        }
      }
    } finally {
      for (int i = closers.size() - 1; i >= 0; i--) {
        closers.get(i).close();
      }
      try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
    double[] rate = new double[rounds];
    double[] p99 = new double[rounds];
    double[] pacedP99 = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      rate[i] = postgres.get(i).repliesPerSecond() / memory.get(i).repliesPerSecond();
      p99[i] = postgres.get(i).p99Millis() / memory.get(i).p99Millis();
      pacedP99[i] = postgres.get(i).pacedP99Millis() / memory.get(i).pacedP99Millis();
    }
    System.out.printf(Locale.ROOT, "median   in-memory %7.0f replies/s p50 %7.3f p99 %7.3f ms, unloaded p50 %6.3f"
        + " p99 %6.3f ms | postgresql x3 %5.0f replies/s p50 %8.3f p99 %8.3f ms, unloaded p50 %6.3f p99 %7.3f ms%n",
        median(memory, Result::repliesPerSecond), median(memory, Result::p50Millis), median(memory, Result::p99Millis),
        median(memory, Result::pacedP50Millis), median(memory, Result::pacedP99Millis),
        median(postgres, Result::repliesPerSecond), median(postgres, Result::p50Millis),
        median(postgres, Result::p99Millis), median(postgres, Result::pacedP50Millis),
        median(postgres, Result::pacedP99Millis));
    System.out.printf(Locale.ROOT, "median per-round ratios postgresql x3 / in-memory: replies/s %.4f, loaded p99"
        + " %.1fx, unloaded p99 %.1fx; load at the end %s%n", Median.of(rate), Median.of(p99), Median.of(pacedP99),
        load());
    System.exit(0);
  }

  /**
   * One round: {@code threads} threads hand {@code replies} replies to {@code callbacks} in turn (customer i % customers
   * writes); waits until {@code ear} heard them all.
   */
  private static Result run(List<ConversationService> callbacks, Ear ear, int replies, int customers, int threads,
      String tag) throws Exception {
    ear.reset(replies);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long begin = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = thread; i < replies; i += threads) {
            String id = tag + "-" + i;
            InboundSms sms = InboundSms.builder().provider("smpp").providerMessageId(id).from(customer(i % customers))
                .to(BUSINESS).body("reply " + i).receivedAt(java.time.Instant.now()).build();
            ear.started.put(id, System.nanoTime());
            callbacks.get(i % callbacks.size()).handle(sms);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdown();
    }
    if (!ear.done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("only " + ear.count.get() + " of " + replies + " replies were heard");
    }
    if (ear.count.get() != replies) {
      throw new IllegalStateException(ear.count.get() + " replies heard for " + replies + " sent");
    }
    double seconds = (ear.lastHeard - begin) / 1e9;
    long[] loaded = ear.latencies.clone();
    // Unloaded: one reply at a time, each handed over once the previous one was heard.
    long[] paced = new long[PACED];
    for (int i = 0; i < PACED; i++) {
      ear.reset(1);
      String id = tag + "-paced-" + i;
      InboundSms sms = InboundSms.builder().provider("smpp").providerMessageId(id).from(customer(i % customers))
          .to(BUSINESS).body("paced reply " + i).receivedAt(java.time.Instant.now()).build();
      ear.started.put(id, System.nanoTime());
      callbacks.get(i % callbacks.size()).handle(sms);
      if (!ear.done.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("paced reply " + i + " was never heard");
      }
      paced[i] = ear.latencies[0];
    }
    return new Result(replies / seconds, percentile(loaded, 0.5), percentile(loaded, 0.99), percentile(paced, 0.5),
        percentile(paced, 0.99));
  }

  /** Replies handed over one at a time per round, after the loaded part. */
  private static final int PACED = 200;

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
  }

  private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
    return Median.of(results.stream().mapToDouble(f).toArray());
  }
}
