package dev.smsgateway.benchmarks.store;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.dynamodb.DynamoDbStores;
import dev.smsgateway.store.jdbc.JdbcStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Put and find throughput of every {@link OriginatorStore} against the in-memory store, on the same workload, in one
 * run: rounds are interleaved (in-memory, H2 file, PostgreSQL, DynamoDB Local, then again), and the report gives each
 * store's median ops/s and the median of its per-round ratio to the in-memory store of the same round.
 *
 * <p>Settings (system properties): {@code records} per round (default 5,000), {@code rounds} (default 5),
 * {@code threads} (default 1). PostgreSQL runs when {@code SMS_TEST_POSTGRES_URL} is set
 * ({@code eval "$(scripts/postgres.sh start)"}).
 *
 * <p>Run: {@code scripts/store-benchmark.sh}. Not thread-safe; a program.
 */
public final class StoreThroughputBenchmark {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private StoreThroughputBenchmark() {}

  interface Engine extends AutoCloseable {
    String name();

    /** A store with no records of the coming round (a fresh key range is used each round anyway). */
    OriginatorStore store();

    @Override
    default void close() throws Exception {}
  }

  public static void main(String[] args) throws Exception {
    int records = Integer.getInteger("records", 5_000);
    int rounds = Integer.getInteger("rounds", 5);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    List<Engine> engines = new ArrayList<>();
    Path h2 = Files.createTempDirectory("sms-bench-h2");
    engines.add(simple("in-memory", new InMemoryOriginatorStore(clock), () -> {}));
    JdbcStores h2Stores = JdbcStores.builder().h2File(h2).clock(clock).purgeInterval(Duration.ZERO).build();
    engines.add(simple("h2-file", h2Stores.originatorStore(), h2Stores::close));
    String pgAdmin = System.getenv("SMS_TEST_POSTGRES_URL");
    if (pgAdmin != null && !pgAdmin.isBlank()) {
      engines.add(postgres(pgAdmin, clock));
    } else {
      System.out.println("PostgreSQL skipped: SMS_TEST_POSTGRES_URL is not set");
    }
    AmazonDynamoDBLocal local = DynamoDBEmbedded.create(null, false);
    DynamoDbStores.createTable(local.dynamoDbClient(), "sms-bench");
    DynamoDbStores ddb = DynamoDbStores.builder().client(local.dynamoDbClient()).tableName("sms-bench").clock(clock)
        .build();
    engines.add(simple("dynamodb-local", ddb.originatorStore(), local::shutdownNow));

    System.out.printf(Locale.ROOT, "records per round %d, rounds %d (+1 warm-up), java %s, %d cpus%n", records,
        rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    int base = 0;
    for (int round = 0; round <= rounds; round++) {
      Map<String, double[]> roundResult = new LinkedHashMap<>();
      for (Engine engine : engines) {
        roundResult.put(engine.name(), measure(engine.store(), base, records, new Random(round)));
      }
      base += records;
      if (round == 0) {
        continue; // warm-up: JIT, connection pools, DynamoDB Local's first table scan
      }
      double[] memory = roundResult.get("in-memory");
      for (Map.Entry<String, double[]> e : roundResult.entrySet()) {
        double[] r = e.getValue();
        results.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
            .add(new double[] {r[0], r[1], r[0] / memory[0], r[1] / memory[1]});
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-15s %14s %14s %18s %18s%n", "store", "put ops/s", "find ops/s",
        "put vs in-memory", "find vs in-memory");
    for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
      System.out.printf(Locale.ROOT, "%-15s %,14.0f %,14.0f %17.5fx %17.5fx%n", e.getKey(), median(e.getValue(), 0),
          median(e.getValue(), 1), median(e.getValue(), 2), median(e.getValue(), 3));
    }
    for (Engine engine : engines) {
      engine.close();
    }
    try (var paths = Files.walk(h2)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.exit(0); // DynamoDB Local's threads outlive shutdown
  }

  /** Puts {@code count} records, then finds them in random order; returns {put ops/s, find ops/s}. */
  static double[] measure(OriginatorStore store, int base, int count, Random random) {
    List<OriginatorRecord> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = base + i;
      batch.add(OriginatorRecord.of(PhoneNumber.of(String.format("+1555%07d", n)), BUSINESS, "agent-" + (n % 100),
          "Your table is ready", "msg-" + n, NOW, Duration.ofHours(24)));
    }
    long t0 = System.nanoTime();
    for (OriginatorRecord r : batch) {
      store.put(r);
    }
    long t1 = System.nanoTime();
    int[] order = random.ints(count, 0, count).toArray();
    int found = 0;
    for (int i : order) {
      if (store.find(batch.get(i).customer(), BUSINESS).isPresent()) {
        found++;
      }
    }
    long t2 = System.nanoTime();
    if (found != count) {
      throw new AssertionError("found " + found + " of " + count);
    }
    return new double[] {count * 1e9 / (t1 - t0), count * 1e9 / (t2 - t1)};
  }

  static double median(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static Engine simple(String name, OriginatorStore store, AutoCloseable onClose) {
    return new Engine() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public OriginatorStore store() {
        return store;
      }

      @Override
      public void close() throws Exception {
        onClose.close();
      }
    };
  }

  private static Engine postgres(String adminUrl, Clock clock) throws Exception {
    String db = "sms_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    org.postgresql.ds.PGConnectionPoolDataSource pg = new org.postgresql.ds.PGConnectionPoolDataSource();
    pg.setURL(adminUrl.replaceFirst("/postgres\\?", "/" + db + "?"));
    org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(pg);
    JdbcStores stores = JdbcStores.builder().dataSource(pool).clock(clock).purgeInterval(Duration.ZERO).build();
    return simple("postgresql", stores.originatorStore(), () -> {
      stores.close();
      pool.dispose();
      try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    });
  }
}
