package dev.smsgateway.benchmarks.store;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.benchmarks.Median;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.jdbc.JdbcStores;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

// About 600 lines, one program: its options, the engines' set-up, a round and the report share state, and a reader
// of a figure should find how it was measured in one file.
/**
 * End to end on durable stores: an {@link SmsGateway} with an {@link SmppSmsProvider} bound to the
 * {@link SmscSimulator} on loopback (delivery receipts on), a {@link ConversationService} as its inbound handler;
 * agents start conversations ({@code startOutbound}: opt-out check, originator record, send, conversation opened,
 * transcript line) and every fourth customer replies (a {@code deliver_sm} routed to the agent who wrote, through
 * the originator record). The same workload runs on in-memory stores (the baseline), on {@link JdbcStores} over an H2
 * file, and on {@link JdbcStores} over PostgreSQL, each with its own gateway, SMSC and stores, in interleaved rounds of
 * one run; each round gives each durable engine's throughput as a ratio to the in-memory engine's in that round.
 *
 * <p>Throughput is started conversations per second, from the first {@code startOutbound} until every one has
 * completed and every reply has reached its agent; latency is each {@code startOutbound} future's time to complete
 * (p50, p99); each engine first runs {@code --warmup N} conversations (default three rounds' worth), then more rounds
 * until the JIT compilers' time in a round is at most a twentieth of the JVM's CPU in it (at most {@code --warmup-max
 * N} in all, default thirty rounds' worth), then one more round of every engine. PostgreSQL is
 * used when {@code SMS_TEST_POSTGRES_URL} is set; the benchmark refuses a server running with {@code fsync} off unless
 * {@code --allow-fsync-off} is given (production runs with fsync on):
 *
 * <pre>
 * SMS_TEST_POSTGRES_FSYNC=on SMS_TEST_POSTGRES_STATE=/tmp/bench-pg.state scripts/postgres.sh start &gt; /tmp/bench-pg.env
 * . /tmp/bench-pg.env
 * mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-durable -Dbench.args="--messages 5000 --rounds 5"
 * </pre>
 *
 * <p>Not thread-safe; a program.
 */
public final class DurableEndToEndBenchmark {

  private static final String BUSINESS = "+14155550199";
  private static final String TEXT = "Hi, this is your agent: your order ships today. Reply here with any question.";
  private static final int AGENTS = 32;
  // --gateway-only: callers send through SmsGateway.send (no conversation service writes before or after a send)
  private static boolean gatewayOnly;
  // --pdu-threads / --callback-threads: the SMPP provider's inbound workers and the gateway's callback threads
  private static int pduThreads = 4;
  private static int callbackThreads = 16;
  // --reply-window: how many replies the SMSC has in delivery at once (each waits for its deliver_sm_resp), by default
  // the window the provider submits with; until 2026-12-07 one at a time, which bounded a durable engine's rounds (its
  // reply routing waits for the store: 500 replies one after the other took longer than the 2,000 conversations)
  private static int replyWindow = -1;
  // --thread-cpu: print each round's JVM CPU per conversation by thread group (names without their numbers)
  private static boolean threadCpu;

  private DurableEndToEndBenchmark() {}

  /** One engine's result in one round. */
  record Figures(double rate, double p50Micros, double p99Micros, double commitsPer, double walSyncsPer,
      double cpuMicrosPer, double serverCpuMicrosPer, double jitMicrosPer) {}

  public static void main(String[] args) {
    int status = 1;
    try {
      run(args);
      status = 0;
    } catch (Exception e) {
      e.printStackTrace();
    }
    // the gateways' pending-send threads are not daemons: end the program either way
    System.exit(status);
  }

  private static void run(String[] args) throws Exception {
    int messages = 5000;
    int rounds = 5;
    int outstanding = 256;
    int callers = 16;
    int binds = 2;
    int window = 16;
    int replyEvery = 4;
    boolean allowFsyncOff = false;
    boolean h2 = true;
    int warmup = -1;
    int warmupMaxArg = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--messages" -> messages = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--outstanding" -> outstanding = Integer.parseInt(args[++i]);
        case "--callers" -> callers = Integer.parseInt(args[++i]);
        case "--binds" -> binds = Integer.parseInt(args[++i]);
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--reply-every" -> replyEvery = Integer.parseInt(args[++i]);
        case "--allow-fsync-off" -> allowFsyncOff = true;
        case "--gateway-only" -> gatewayOnly = true;
        case "--no-h2" -> h2 = false;
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--warmup-max" -> warmupMaxArg = Integer.parseInt(args[++i]);
        case "--pdu-threads" -> pduThreads = Integer.parseInt(args[++i]);
        case "--callback-threads" -> callbackThreads = Integer.parseInt(args[++i]);
        case "--reply-window" -> replyWindow = Integer.parseInt(args[++i]);
        case "--thread-cpu" -> threadCpu = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --messages N"
            + " --rounds N --outstanding N --callers N --binds N --window N --reply-every N --allow-fsync-off"
            + " --gateway-only --no-h2 --warmup N --warmup-max N --pdu-threads N --callback-threads N --reply-window N --thread-cpu");
      }
    }
    // the durable path has more code for the JIT to compile (driver, pool, stores): a warm-up of a few rounds' worth
    // of conversations, or the first measured rounds measure compilation more than the steady state
    int warmupConversations = warmup >= 0 ? warmup : 3 * messages;
    int warmupMax = warmupMaxArg >= 0 ? warmupMaxArg : Math.max(warmupConversations, 30 * messages);
    if (replyWindow < 1) {
      replyWindow = window;
    }
    String pgUrl = System.getenv("SMS_TEST_POSTGRES_URL");
    String fsync = pgUrl == null ? null : fsync(pgUrl);
    if (pgUrl != null && !"on".equals(fsync) && !allowFsyncOff) {
      throw new IllegalStateException("the PostgreSQL server runs with fsync=" + fsync + "; start one with"
          + " SMS_TEST_POSTGRES_FSYNC=on (see scripts/postgres.sh) or pass --allow-fsync-off");
    }
    System.out.printf(Locale.ROOT, "End to end on durable stores: %d %s/round, %d rounds"
        + " (after at least %d warm-up conversations per engine), %d outstanding from %d caller threads, SMPP %d binds x"
        + " window %d, delivery receipts on, replies delivered %d at a time, Java %s, %d CPUs%s%s%n", messages,
        gatewayOnly ? "messages (SmsGateway.send, no replies)" : "conversations (1 reply per " + replyEvery + ")",
        rounds, warmupConversations, outstanding, callers, binds, window, replyWindow,
        Runtime.version(), Runtime.getRuntime().availableProcessors(),
        pgUrl == null ? "; PostgreSQL skipped (SMS_TEST_POSTGRES_URL not set)" : "; PostgreSQL fsync=" + fsync,
        gatewayOnly ? "; GATEWAY ONLY (SmsGateway.send, no conversation service on the send path)" : "");

    List<Engine> engines = new ArrayList<>();
    Path h2dir = Files.createTempDirectory("sms-bench-h2");
    Map<String, List<Figures>> results = new LinkedHashMap<>();
    try {
      engines.add(Engine.start("in-memory", memoryStores(), binds, window));
      if (h2) {
        engines.add(Engine.start("H2 file", h2Stores(h2dir), binds, window));
      }
      if (pgUrl != null) {
        engines.add(Engine.start("PostgreSQL", postgresStores(pgUrl), binds, window));
      }
      engines.forEach(e -> results.put(e.name, new ArrayList<>()));
      // Warm-up: each engine runs --warmup N conversations, then more rounds until the JIT compilers' time in a round
      // is at most a twentieth of the JVM's CPU in it (at most --warmup-max N conversations in all), then every
      // engine one more round in the measured order, so that the code they share has seen all of them.
      Map<String, Integer> warmed = new LinkedHashMap<>();
      for (Engine e : engines) {
        int done = 0;
        Figures last = null;
        while (done < warmupConversations || (last != null && last.jitMicrosPer() > last.cpuMicrosPer() / 20
            && done < warmupMax)) {
          int n = done < warmupConversations ? Math.min(messages, warmupConversations - done) : messages;
          last = e.round(n, outstanding, callers, replyEvery);
          done += n;
        }
        warmed.put(e.name, done);
      }
      for (Engine e : engines) {
        e.round(messages, outstanding, callers, replyEvery);
        warmed.merge(e.name, messages, Integer::sum);
      }
      System.out.printf(Locale.ROOT, "warm-up conversations: %s%n", warmed);
      for (int round = 0; round < rounds; round++) {
        // alternate the order, so no engine always runs right after the same one
        List<Engine> order = new ArrayList<>(engines);
        if (round % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (Engine e : order) {
          results.get(e.name).add(e.round(messages, outstanding, callers, replyEvery));
        }
      }
    } finally {
      for (Engine e : engines) {
        e.close();
      }
      try (Stream<Path> files = Files.walk(h2dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    List<Figures> base = results.get("in-memory");
    System.out.println("round  engine       conversations/s  p50 ms   p99 ms   ratio  JVM CPU us/conv"
        + "  PG transactions / WAL syncs / server CPU us per conversation");
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, List<Figures>> e : results.entrySet()) {
        Figures f = e.getValue().get(round);
        System.out.printf(Locale.ROOT, "%5d  %-11s  %15.0f  %6.2f  %7.2f  %6.3f  %15.0f%s%n", round + 1, e.getKey(),
            f.rate(), f.p50Micros() / 1000, f.p99Micros() / 1000, f.rate() / base.get(round).rate(), f.cpuMicrosPer(),
            Double.isNaN(f.commitsPer()) ? "" : String.format(Locale.ROOT, "  %.1f / %.2f / %.0f", f.commitsPer(),
                f.walSyncsPer(), f.serverCpuMicrosPer()));
      }
    }
    for (Map.Entry<String, List<Figures>> e : results.entrySet()) {
      List<Figures> fs = e.getValue();
      double[] ratios = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        ratios[i] = fs.get(i).rate() / base.get(i).rate();
      }
      System.out.printf(Locale.ROOT, "median %-11s %7.0f conversations/s, p99 %7.2f ms, JVM CPU %5.0f us each, ratio"
          + " %.3f%s%n", e.getKey(), Median.of(fs.stream().mapToDouble(Figures::rate).toArray()),
          Median.of(fs.stream().mapToDouble(Figures::p99Micros).toArray()) / 1000,
          Median.of(fs.stream().mapToDouble(Figures::cpuMicrosPer).toArray()), Median.of(ratios),
          e.getKey().equals("PostgreSQL") ? " (goal >= 0.5)" : "");
    }
  }

  /** A thread's group (see {@link #group}) and the CPU time it has used, nanoseconds. */
  record ThreadCpu(String group, long nanos) {}

  /** CPU time of each live thread of this JVM by id, with its group (its name without digits). */
  static Map<Long, ThreadCpu> threadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, ThreadCpu> cpu = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        if (t >= 0) {
          cpu.put(info.getThreadId(), new ThreadCpu(group(info.getThreadName()), t));
        }
      }
    }
    return cpu;
  }

  /** {garbage collection time, JIT compilation time} of this JVM so far, milliseconds (elapsed, not CPU). */
  static long[] vmMillis() {
    long gc = 0;
    for (java.lang.management.GarbageCollectorMXBean b
        : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, b.getCollectionTime());
    }
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    return new long[] {gc, jit == null ? 0 : jit.getTotalCompilationTime()};
  }

  /** A thread's group: its name with runs of digits replaced by {@code #}. */
  static String group(String threadName) {
    return threadName.replaceAll("[0-9]+", "#");
  }

  /**
   * The CPU per conversation, microseconds, of each thread group between two {@link #threadCpu()} snapshots (threads
   * that ended in between are missed; {@code ended} adds what they reported), largest first, as one line.
   */
  static String threadCpuLine(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, Map<String, Long> ended,
      int conversations) {
    Map<String, Long> byGroup = new java.util.HashMap<>(ended);
    after.forEach((id, v) -> {
      ThreadCpu b = before.get(id);
      byGroup.merge(v.group(), v.nanos() - (b == null ? 0 : b.nanos()), Long::sum);
    });
    StringBuilder line = new StringBuilder();
    byGroup.entrySet().stream().filter(e -> e.getValue() / 1e3 / conversations >= 1)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> line.append(String.format(Locale.ROOT, "  %s %.0f", e.getKey(),
            e.getValue() / 1e3 / conversations)));
    return line.toString();
  }

  /** Kernel CPU time of this JVM (system calls: sockets, futexes of parking threads), microseconds; 0 without /proc. */
  static long kernelCpuMicros() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[12]) * 10_000; // stime (field 15), USER_HZ 100
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU time of this JVM (gateway, conversation service, SMSC simulator, JDBC client), nanoseconds. */
  static long processCpu() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /**
   * CPU time of every process named {@code postgres} on this machine (the server and its backends), microseconds,
   * read from /proc; 0 where there is no /proc. Only the benchmark's server runs here, the tests' one sits idle.
   */
  static long postgresCpuMicros() {
    long ticks = 0;
    java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
    if (procs == null) {
      return 0;
    }
    for (java.io.File proc : procs) {
      try {
        String comm = Files.readString(proc.toPath().resolve("comm")).strip();
        if (!comm.equals("postgres")) {
          continue;
        }
        String stat = Files.readString(proc.toPath().resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
      } catch (java.io.IOException | RuntimeException e) {
        // the process ended meanwhile
      }
    }
    return ticks * 10_000; // USER_HZ is 100 on Linux
  }

  private static String fsync(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW fsync")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The four stores one engine runs on, and what closes them. */
  record Stores(OriginatorStore originators, OptOutStore optOuts, ConversationStore conversations,
      MessageStore messages, AutoCloseable onClose, String statsUrl) {

    Stores(OriginatorStore originators, OptOutStore optOuts, ConversationStore conversations, MessageStore messages,
        AutoCloseable onClose) {
      this(originators, optOuts, conversations, messages, onClose, null);
    }

    /** {transactions committed in the benchmark's database, WAL syncs of the server}; null when not PostgreSQL. */
    long[] counters() throws Exception {
      if (statsUrl == null) {
        return null;
      }
      Thread.sleep(1100); // PostgreSQL publishes its cumulative statistics at most once a second
      try (Connection c = DriverManager.getConnection(statsUrl); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT (SELECT xact_commit FROM pg_stat_database"
              + " WHERE datname = current_database()), (SELECT wal_sync FROM pg_stat_wal)")) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static Stores memoryStores() {
    Clock clock = Clock.systemUTC();
    return new Stores(new InMemoryOriginatorStore(clock), new InMemoryOptOutStore(), new InMemoryConversationStore(),
        new InMemoryMessageStore(clock), () -> {});
  }

  private static Stores h2Stores(Path dir) {
    JdbcStores stores = JdbcStores.builder().h2File(dir).purgeInterval(Duration.ZERO).build();
    return new Stores(stores.originatorStore(), stores.optOutStore(), stores.conversationStore(),
        stores.messageStore(), stores);
  }

  private static Stores postgresStores(String adminUrl) throws Exception {
    String db = "sms_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    String dbUrl = adminUrl.replaceFirst("/postgres\\?", "/" + db + "?");
    // HikariCP, as a production deployment pools its connections
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(dbUrl);
    config.setMaximumPoolSize(32);
    config.setPoolName("bench-postgres");
    com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
    JdbcStores stores = JdbcStores.builder().dataSource(pool).purgeInterval(Duration.ZERO).build();
    return new Stores(stores.originatorStore(), stores.optOutStore(), stores.conversationStore(),
        stores.messageStore(), () -> {
          stores.close();
          pool.close();
          try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
          }
        }, dbUrl);
  }

  /** One gateway + conversation service on one set of stores, with its own SMSC. */
  private static final class Engine implements AutoCloseable {
    private static final AtomicLong CUSTOMERS = new AtomicLong();

    final String name;
    final Stores stores;
    final SmscSimulator smsc;
    final SmsGateway gateway;
    final ConversationService service;
    // customers whose reply reached the agent who wrote to them (a redelivered reply may arrive twice)
    final Set<String> routed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger misrouted = new AtomicInteger();
    final AtomicInteger delivered = new AtomicInteger();

    private Engine(String name, Stores stores, SmscSimulator smsc, SmsGateway gateway, ConversationService service) {
      this.name = name;
      this.stores = stores;
      this.smsc = smsc;
      this.gateway = gateway;
      this.service = service;
    }

    static Engine start(String name, Stores stores, int binds, int window) throws Exception {
      SmscSimulator smsc = SmscSimulator.builder().credentials("bench", "bench").pduThreads(window * binds + 2)
          .autoDeliveryReceipts(true).build().start();
      RoutingConfiguration configuration = RoutingConfiguration.builder()
          .addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("DE").delivery(Delivery.QUEUE)
              .originatorTtl(Duration.ofHours(1))
              .addNumber(n -> n.number(BUSINESS).displayName("Acme Sales").queue("sales")))
          .build();
      Engine[] self = new Engine[1];
      ConversationService service = ConversationService.builder().configuration(configuration)
          .originatorStore(stores.originators()).optOutStore(stores.optOuts())
          .conversationStore(stores.conversations()).automaticSweeps(false)
          .listener(new ConversationListener() {
            @Override
            public void onMessage(Conversation c, InboundSms sms) {
              // the reply names its agent in its text: it must reach that agent
              if (sms.body().endsWith(" " + c.target().key())) {
                self[0].routed.add(sms.from().e164());
              } else {
                self[0].misrouted.incrementAndGet();
              }
            }

            @Override
            public void onDeliveryReport(String conversationId, DeliveryReport report, DeliveryStatus merged) {
              if (merged == DeliveryStatus.DELIVERED) {
                self[0].delivered.incrementAndGet();
              }
            }
          }).build();
      SmppSmsProvider provider = SmppSmsProvider.builder().name("smpp").host(smsc.host()).port(smsc.port())
          .systemId("bench").password("bench").binds(binds).window(window).queueCapacity(4096)
          .responseTimeout(Duration.ofSeconds(30)).defaultOriginator(Originator.longCode(PhoneNumber.of(BUSINESS)))
          .pduThreads(pduThreads)
          .build();
      SmsGateway gateway = SmsGateway.builder().provider(provider).defaultRegion("DE").optOutStore(stores.optOuts())
          .messageStore(stores.messages()).inboundHandler(service).listener(service.gatewayListener())
          .callbackThreads(callbackThreads).build();
      service.bind(gateway);
      gateway.start();
      if (!smsc.awaitBound(binds, Duration.ofSeconds(10))) {
        throw new IllegalStateException(name + ": the provider did not bind");
      }
      for (int a = 0; a < AGENTS; a++) {
        service.registerAgent("agent" + a, 1000, Set.of("sales"));
        service.setPresence("agent" + a, Presence.AVAILABLE);
      }
      Engine e = new Engine(name, stores, smsc, gateway, service);
      self[0] = e;
      return e;
    }

    /** Starts {@code messages} conversations with at most {@code outstanding} unfinished; every n-th customer replies. */
    Figures round(int messages, int outstanding, int callers, int replyEvery) throws Exception {
      smsc.clearReceived();
      routed.clear();
      misrouted.set(0);
      long first = CUSTOMERS.getAndAdd(messages);
      int replies = gatewayOnly ? 0 : (messages + replyEvery - 1) / replyEvery;
      Semaphore permits = new Semaphore(outstanding);
      CountDownLatch done = new CountDownLatch(messages);
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<Throwable> firstError = new java.util.concurrent.atomic.AtomicReference<>();
      long[] latencies = new long[messages];
      // replies go out from a thread of their own, as the SMSC delivers them while sends go on
      java.util.concurrent.LinkedBlockingQueue<String[]> replyQueue = new java.util.concurrent.LinkedBlockingQueue<>();
      // what the threads that end before the round's last snapshot used (callers, the replier)
      Map<String, Long> endedCpu = new java.util.concurrent.ConcurrentHashMap<>();
      // replies go out while sends go on, replyWindow at a time, as an SMSC delivers them (each deliverMo waits for
      // its deliver_sm_resp)
      AtomicInteger repliesLeft = new AtomicInteger(replies);
      List<Thread> repliers = new ArrayList<>();
      for (int t = 0; t < Math.min(replyWindow, Math.max(1, replies)); t++) {
        repliers.add(new Thread(() -> {
          try {
            while (repliesLeft.getAndDecrement() > 0) {
              String[] reply = replyQueue.take();
              // an SMSC delivers again when the deliver_sm_resp does not come in time (the simulator waits 2 s)
              int status = -1;
              for (int attempt = 0; attempt < 5 && status == -1; attempt++) {
                status = smsc.deliverMo(reply[0], BUSINESS, reply[1]);
              }
              if (status != 0) {
                failed.incrementAndGet();
              }
            }
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          } finally {
            endedCpu.merge("bench-replies",
                java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(), Long::sum);
          }
        }, "bench-replies-" + t));
      }
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        threads.add(new Thread(() -> {
          try {
            call(messages, replyEvery, first, permits, done, next, failed, firstError, latencies, replyQueue);
          } finally {
            endedCpu.merge("bench-caller-#",
                java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(), Long::sum);
          }
        }, "bench-caller-" + t));
      }
      Map<Long, ThreadCpu> threadsBefore = threadCpu ? threadCpu() : Map.of();
      long[] vm0 = vmMillis(); // the warm-up reads the JIT's time of every round
      long[] before = stores.counters();
      long cpu0 = processCpu();
      long kernel0 = kernelCpuMicros();
      long serverCpu0 = stores.statsUrl() == null ? 0 : postgresCpuMicros();
      long start = System.nanoTime();
      repliers.forEach(Thread::start);
      threads.forEach(Thread::start);
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(name + ": conversations did not complete");
      }
      for (Thread r : repliers) {
        r.join(TimeUnit.MINUTES.toMillis(10));
      }
      long nanos = System.nanoTime() - start;
      for (Thread t : threads) {
        t.join();
      }
      Map<Long, ThreadCpu> threadsAfter = threadCpu ? threadCpu() : Map.of();
      long[] vm1 = vmMillis();
      if (failed.get() > 0 || misrouted.get() > 0 || routed.size() != replies) {
        throw new IllegalStateException(name + ": " + failed.get() + " failed, " + misrouted.get() + " misrouted, "
            + routed.size() + " of " + replies + " replies routed", firstError.get());
      }
      long cpu = processCpu() - cpu0;
      long kernel = kernelCpuMicros() - kernel0;
      long serverCpu = stores.statsUrl() == null ? 0 : postgresCpuMicros() - serverCpu0;
      long[] after = stores.counters();
      Arrays.sort(latencies);
      Figures f = new Figures(messages * 1e9 / nanos, latencies[messages / 2] / 1e3,
          latencies[(int) Math.min(messages - 1, Math.ceil(messages * 0.99) - 1)] / 1e3,
          before == null ? Double.NaN : (after[0] - before[0]) / (double) messages,
          before == null ? Double.NaN : (after[1] - before[1]) / (double) messages, cpu / 1e3 / messages,
          stores.statsUrl() == null ? Double.NaN : serverCpu / (double) messages,
          (vm1[1] - vm0[1]) * 1e3 / messages);
      System.err.printf(Locale.ROOT, "  %s: %d conversations, %.0f/s, p99 %.1f ms, JVM CPU %.0f us each (%.0f%% in"
          + " the kernel)%n", name, messages, f.rate(), f.p99Micros() / 1000, f.cpuMicrosPer(),
          cpu == 0 ? 0 : 100.0 * kernel * 1000 / cpu);
      if (threadCpu) {
        System.err.printf(Locale.ROOT, "    %s threads, us per conversation:%s; GC pauses %.0f us, JIT %.0f us per"
            + " conversation%n", name, threadCpuLine(threadsBefore, threadsAfter, endedCpu, messages),
            (vm1[0] - vm0[0]) * 1e3 / messages, f.jitMicrosPer());
      }
      return f;
    }

    /** One caller thread's loop: starts conversations while permits allow, until {@code messages} are started. */
    private void call(int messages, int replyEvery, long first, Semaphore permits, CountDownLatch done,
        AtomicInteger next, AtomicInteger failed, java.util.concurrent.atomic.AtomicReference<Throwable> firstError,
        long[] latencies, java.util.concurrent.LinkedBlockingQueue<String[]> replyQueue) {
      int i;
      while ((i = next.getAndIncrement()) < messages) {
        try {
          permits.acquire();
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          return;
        }
        int index = i;
        String agent = "agent" + (i % AGENTS);
        String customer = String.format(Locale.ROOT, "+49151%08d", (first + i) % 100_000_000L);
        long t0 = System.nanoTime();
        java.util.concurrent.CompletableFuture<?> started = gatewayOnly
            ? gateway.send(dev.smsgateway.OutboundSms.builder().to(customer).from(BUSINESS).body(TEXT).build())
            : service.startOutbound(agent, BUSINESS, customer, TEXT, null);
        started.whenComplete((r, ex) -> {
          latencies[index] = System.nanoTime() - t0;
          if (ex != null) {
            failed.incrementAndGet();
            firstError.compareAndSet(null, ex);
          } else if (index % replyEvery == 0 && !gatewayOnly) {
            replyQueue.add(new String[] {customer, "thanks, noted agent:" + agent});
          }
          permits.release();
          done.countDown();
        });
      }
    }

    @Override
    public void close() throws Exception {
      try {
        service.close();
        gateway.close();
        smsc.close();
      } finally {
        stores.onClose().close();
      }
    }
  }
}
