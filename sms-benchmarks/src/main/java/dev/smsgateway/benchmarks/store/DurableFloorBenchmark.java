package dev.smsgateway.benchmarks.store;

import dev.smsgateway.benchmarks.Median;
import dev.smsgateway.store.jdbc.JdbcStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the durable end-to-end benchmark's writes cost when nothing but them runs: the floor under
 * {@link DurableEndToEndBenchmark}'s PostgreSQL engine. The rows a conversation needs (an opt-out read; the message,
 * originator, conversation and first transcript line; the provider's link; the delivery report's status update; and
 * for every fourth conversation the reply's originator read, seen key, transcript line and conversation update) are
 * written by plain JDBC on the library's own schema, in batches of concurrent conversations, each step one
 * transaction, the way a perfect write path would group them. Three ways are measured in interleaved rounds (each
 * way first in turn):
 *
 * <ul>
 *   <li>{@code multi-row}: one statement per table and step for the whole batch ({@code unnest} of arrays);
 *   <li>{@code row-batch}: one JDBC batch per table and step, a statement execution per row (what the library's
 *       group commit sends today);
 *   <li>{@code one-trip}: the {@code multi-row} statements of a step sent as one multi-statement query in auto-commit:
 *       the driver sends them with one Sync, so the server runs them as one implicit transaction and commits it
 *       before answering: one round trip per step, where the others make one per table and one for the commit.
 * </ul>
 *
 * <p>It prints, per conversation, the JVM's CPU (the JDBC client) and the PostgreSQL server's CPU (every process
 * named {@code postgres}). Set against the in-memory engine's CPU per conversation in {@link DurableEndToEndBenchmark},
 * this bounds the ratio any write path could reach on the same machine when the JVM and the server share its cores:
 * {@code ratio <= c / (c + floor)}, where {@code c} is the in-memory engine's CPU per conversation.
 *
 * <pre>
 * SMS_TEST_POSTGRES_FSYNC=on SMS_TEST_POSTGRES_STATE=/tmp/bench-pg.state scripts/postgres.sh start &gt; /tmp/bench-pg.env
 * . /tmp/bench-pg.env
 * mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-durable-floor -Dbench.args="--conversations 20000 --batch 64,256,1024"
 * </pre>
 *
 * <p>Not thread-safe; a program.
 */
public final class DurableFloorBenchmark {

  private static final String BUSINESS = "+14155550199";
  private static final String TEXT = "Hi, this is your agent: your order ships today. Reply here with any question.";
  private static final long FAR = 9_000_000_000_000_000_000L;

  private DurableFloorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int conversations = 20_000;
    int rounds = 5;
    int[] batches = {64};
    int threads = 4;
    int warmup = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--conversations" -> conversations = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--batch" -> batches = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --conversations N --rounds N --batch N[,N...] --threads N --warmup N");
      }
    }
    String adminUrl = System.getenv("SMS_TEST_POSTGRES_URL");
    if (adminUrl == null) {
      throw new IllegalStateException("SMS_TEST_POSTGRES_URL is not set; see scripts/postgres.sh");
    }
    String db = "sms_floor_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW fsync")) {
      rs.next();
      if (!"on".equals(rs.getString(1))) {
        throw new IllegalStateException("the server runs with fsync=" + rs.getString(1) + "; start it with"
            + " SMS_TEST_POSTGRES_FSYNC=on");
      }
      st.execute("CREATE DATABASE " + db);
    }
    String url = adminUrl.replaceFirst("/postgres\\?", "/" + db + "?");
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(threads);
    try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
      JdbcStores.builder().dataSource(pool).purgeInterval(Duration.ZERO).build().close(); // the library's schema
      // the JDBC driver's code takes tens of thousands of statements to be compiled: a short warm-up leaves the JIT's
      // work in the measured rounds (at batches of 64, 150-170 us of JVM CPU per conversation in the first round
      // against 22-28 us from the third on)
      int warmupConversations = warmup >= 0 ? warmup : 3 * conversations;
      System.out.printf(Locale.ROOT, "Durable floor: %d conversations/round, %d rounds (after %d warm-up conversations"
          + " per way and batch size), batches of %s conversations, %d writer threads, PostgreSQL fsync=on, Java %s,"
          + " %d CPUs%n", conversations, rounds, warmupConversations, java.util.Arrays.toString(batches), threads,
          Runtime.version(),
          Runtime.getRuntime().availableProcessors());
      AtomicInteger ids = new AtomicInteger();
      List<String> medians = new ArrayList<>();
      Way[] ways = Way.values();
      for (int batch : batches) {
        for (Way way : ways) {
          for (int done = 0; done < warmupConversations; done += conversations) {
            round(pool, way, Math.min(conversations, warmupConversations - done), batch, threads, ids); // warm-up
          }
        }
        java.util.Map<Way, List<double[]>> figures = new java.util.EnumMap<>(Way.class);
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < ways.length; k++) {
            Way way = ways[(r + k) % ways.length]; // each way goes first in turn
            double[] f = round(pool, way, conversations, batch, threads, ids);
            figures.computeIfAbsent(way, w -> new ArrayList<>()).add(f);
            System.out.printf(Locale.ROOT, "%5d  batch %4d  %-9s  %8.0f conversations/s  JVM CPU %5.0f us"
                + "  PostgreSQL CPU %5.0f us  per conversation%n", r + 1, batch, way.label, f[0], f[1], f[2]);
          }
        }
        for (Way way : ways) {
          List<double[]> fs = figures.get(way);
          medians.add(String.format(Locale.ROOT, "median batch %4d %-9s %8.0f conversations/s, JVM CPU %5.0f us +"
              + " PostgreSQL CPU %5.0f us = %5.0f us per conversation", batch, way.label, median(fs, 0), median(fs, 1),
              median(fs, 2), median(fs, 1) + median(fs, 2)));
        }
      }
      medians.forEach(System.out::println);
    } finally {
      try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private static double median(List<double[]> fs, int i) {
    return Median.of(fs.stream().mapToDouble(f -> f[i]).toArray());
  }

  /** {conversations/s, JVM CPU us per conversation, PostgreSQL CPU us per conversation}. */
  /** How a step's rows are sent. */
  enum Way {
    MULTI_ROW("multi-row"),
    ROW_BATCH("row-batch"),
    ONE_TRIP("one-trip");

    final String label;

    Way(String label) {
      this.label = label;
    }
  }

  /**
   * Where a step's multi-row statements (and the reads, multi-row in every way) go: each sent at once, or
   * ({@link Way#ONE_TRIP}) gathered and sent together when the step ends, their SQL joined into one multi-statement
   * query and their parameters in order.
   */
  private static final class Trip {
    private final boolean oneTrip;
    private final List<String> sql = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    Trip(boolean oneTrip) {
      this.oneTrip = oneTrip;
    }

    /** A statement and its parameters: sent now, or with the rest of the step ({@link Way#ONE_TRIP}). */
    void add(Connection c, String statement, Object... parameters) throws SQLException {
      sql.add(statement);
      params.addAll(List.of(parameters));
      if (!oneTrip) {
        send(c);
      }
    }

    /**
     * Ends a step: commits it, or ({@link Way#ONE_TRIP}) sends its statements as one query in auto-commit (one Sync:
     * one implicit transaction, committed before the answer).
     */
    void end(Connection c) throws SQLException {
      if (oneTrip) {
        send(c);
      } else {
        c.commit();
      }
    }

    /** Sends what was added as one query and reads every result. */
    private void send(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(String.join("; ", sql))) {
        for (int i = 0; i < params.size(); i++) {
          ps.setObject(i + 1, params.get(i));
        }
        for (boolean rows = ps.execute(); ; rows = ps.getMoreResults()) {
          if (rows) {
            try (ResultSet rs = ps.getResultSet()) {
              while (rs.next()) {
                rs.getString(1);
              }
            }
          } else if (ps.getUpdateCount() == -1) {
            break;
          }
        }
      }
      sql.clear();
      params.clear();
    }
  }

  private static double[] round(javax.sql.DataSource pool, Way way, int conversations, int batch, int threads,
      AtomicInteger ids) throws Exception {
    int first = ids.getAndAdd(conversations);
    AtomicInteger next = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      writers.add(new Thread(() -> {
        try (Connection c = pool.getConnection()) {
          c.setAutoCommit(way == Way.ONE_TRIP);
          int from;
          while ((from = next.getAndAdd(batch)) < conversations) {
            int n = Math.min(batch, conversations - from);
            conversationBatch(c, way, first + from, n);
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "floor-writer-" + t));
    }
    long cpu0 = DurableEndToEndBenchmark.processCpu();
    long server0 = DurableEndToEndBenchmark.postgresCpuMicros();
    long start = System.nanoTime();
    writers.forEach(Thread::start);
    for (Thread t : writers) {
      t.join();
    }
    long nanos = System.nanoTime() - start;
    long cpu = DurableEndToEndBenchmark.processCpu() - cpu0;
    long server = DurableEndToEndBenchmark.postgresCpuMicros() - server0;
    if (!errors.isEmpty()) {
      throw new IllegalStateException("a writer failed", errors.get(0));
    }
    return new double[] {conversations * 1e9 / nanos, cpu / 1e3 / conversations, server / (double) conversations};
  }

  private static void conversationBatch(Connection c, Way way, int first, int n) throws SQLException {
    conversationBatch(c, way, first, n, System.currentTimeMillis() * 1_000_000L);
  }

  /**
   * The conversations {@code first .. first + n - 1}, at {@code now} (nanoseconds): four transactions, as their events
   * would arrive; every way writes the same rows. {@code c} must be in auto-commit for {@link Way#ONE_TRIP} only.
   */
  static void conversationBatch(Connection c, Way way, int first, int n, long now) throws SQLException {
    boolean multi = way != Way.ROW_BATCH;
    Trip trip = new Trip(way == Way.ONE_TRIP);
    String[] customers = new String[n];
    String[] messages = new String[n];
    String[] conversations = new String[n];
    String[] agents = new String[n];
    String[] providerIds = new String[n];
    for (int i = 0; i < n; i++) {
      int id = first + i;
      customers[i] = String.format(Locale.ROOT, "+49151%08d", id % 100_000_000);
      messages[i] = "m" + id;
      conversations[i] = "c" + id;
      agents[i] = "agent:agent" + (id % 32);
      providerIds[i] = Integer.toHexString(id);
    }
    // 1. the agent starts the conversations: opt-out read, message, originator, conversation, first line
    read(c, trip, "SELECT o.customer FROM unnest(?) AS k(customer) CROSS JOIN LATERAL"
        + " (SELECT * FROM sms_opt_out s WHERE s.customer = k.customer OFFSET 0) o", customers);
    Object[][] messageRows = new Object[n][];
    Object[][] originatorRows = new Object[n][];
    Object[][] conversationRows = new Object[n][];
    Object[][] lineRows = new Object[n][];
    for (int i = 0; i < n; i++) {
      messageRows[i] = new Object[] {messages[i], "smpp", customers[i], BUSINESS, 1, "ACCEPTED", "ACCEPTED", now, now,
          1L};
      originatorRows[i] = new Object[] {customers[i], BUSINESS, BUSINESS, agents[i], TEXT, messages[i], now, FAR};
      conversationRows[i] = new Object[] {conversations[i], customers[i], BUSINESS, BUSINESS, "sales", "ASSIGNED",
          agents[i], now, now, 1L, customers[i] + "|" + BUSINESS};
      lineRows[i] = new Object[] {conversations[i], now, "OUTBOUND", agents[i], TEXT, messages[i]};
    }
    insert(c, trip, multi, "sms_message (message_id, provider, recipient, sender_ref, parts, status, part_statuses,"
        + " created_at, updated_at, row_version)", "varchar,varchar,varchar,varchar,int4,varchar,varchar,int8,int8,int8",
        messageRows, "");
    insert(c, trip, multi, "sms_originator (customer, business, business_ref, agent_id, outbound_text, message_id,"
        + " created_at, expires_at)", "varchar,varchar,varchar,varchar,varchar,varchar,int8,int8", originatorRows,
        " ON CONFLICT (customer, business) DO UPDATE SET agent_id = EXCLUDED.agent_id");
    insert(c, trip, multi, "sms_conversation (id, customer, business, business_ref, mapping_code, state, target, opened_at,"
        + " last_activity_at, version, open_key)", "varchar,varchar,varchar,varchar,varchar,varchar,varchar,int8,int8,"
        + "int8,varchar", conversationRows, " ON CONFLICT DO NOTHING");
    insert(c, trip, multi, "sms_transcript (conversation_id, at_time, direction, author, body, message_id)",
        "varchar,int8,varchar,varchar,varchar,varchar", lineRows, "");
    trip.end(c);
    // 2. the SMSC accepts them: the provider's ids
    Object[][] links = new Object[n][];
    for (int i = 0; i < n; i++) {
      links[i] = new Object[] {"smpp", providerIds[i], messages[i], 0};
    }
    insert(c, trip, multi, "sms_provider_link (provider, provider_message_id, message_id, part)", "varchar,varchar,varchar,"
        + "int4", links, " ON CONFLICT DO NOTHING");
    trip.end(c);
    // 3. the delivery reports
    update(c, trip, multi, "sms_message", "message_id", "status = 'DELIVERED', part_statuses = 'DELIVERED', updated_at = ?,"
        + " row_version = row_version + 1", now, messages);
    trip.end(c);
    // 4. every fourth customer replies: originator read, seen key, transcript line, conversation touched
    int replies = 0;
    for (int i = 0; i < n; i++) {
      if ((first + i) % 4 == 0) {
        replies++;
      }
    }
    if (replies == 0) {
      return;
    }
    String[] replying = new String[replies];
    Object[][] seen = new Object[replies][];
    Object[][] replyLines = new Object[replies][];
    String[] touched = new String[replies];
    for (int i = 0, r = 0; i < n; i++) {
      if ((first + i) % 4 == 0) {
        replying[r] = customers[i];
        seen[r] = new Object[] {"smpp|mo-" + (first + i), FAR};
        replyLines[r] = new Object[] {conversations[i], now, "INBOUND", customers[i], "thanks", null};
        touched[r] = conversations[i];
        r++;
      }
    }
    read(c, trip, "SELECT o.customer FROM unnest(?) AS k(customer) CROSS JOIN LATERAL (SELECT * FROM sms_originator s"
        + " WHERE s.customer = k.customer AND s.expires_at > 0 OFFSET 0) o", replying);
    insert(c, trip, multi, "sms_seen (seen_key, expires_at)", "varchar,int8", seen, " ON CONFLICT DO NOTHING");
    insert(c, trip, multi, "sms_transcript (conversation_id, at_time, direction, author, body, message_id)",
        "varchar,int8,varchar,varchar,varchar,varchar", replyLines, "");
    update(c, trip, multi, "sms_conversation", "id", "last_activity_at = ?, version = version + 1", now, touched);
    trip.end(c);
  }

  /**
   * {@code UPDATE table SET set WHERE key = id} for each of {@code ids}, {@code now} bound to the one {@code ?} in
   * {@code set}: one statement joined to the ids' array ({@code multi}) or a JDBC batch.
   */
  private static void update(Connection c, Trip trip, boolean multi, String table, String key, String set, long now,
      String[] ids) throws SQLException {
    if (multi) {
      trip.add(c, "UPDATE " + table + " t SET " + set + " FROM unnest(?) AS k(id) WHERE t." + key + " = k.id", now,
          c.createArrayOf("varchar", ids));
    } else {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + set + " WHERE " + key + " = ?")) {
        for (String id : ids) {
          ps.setLong(1, now);
          ps.setString(2, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private static void read(Connection c, Trip trip, String sql, String[] keys) throws SQLException {
    trip.add(c, sql, c.createArrayOf("varchar", keys));
  }

  /** {@code rows} into {@code table (columns)}: one statement of arrays ({@code multi}) or a JDBC batch. */
  private static void insert(Connection c, Trip trip, boolean multi, String table, String types, Object[][] rows,
      String tail) throws SQLException {
    String[] t = types.split(",");
    if (multi) {
      StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" SELECT * FROM unnest(");
      for (int i = 0; i < t.length; i++) {
        sql.append(i == 0 ? "" : ", ").append("?::").append(t[i]).append("[]");
      }
      sql.append(')').append(tail);
      Object[] arrays = new Object[t.length];
      for (int col = 0; col < t.length; col++) {
        Object[] values = new Object[rows.length];
        for (int r = 0; r < rows.length; r++) {
          values[r] = rows[r][col];
        }
        arrays[col] = c.createArrayOf(t[col], values);
      }
      trip.add(c, sql.toString(), arrays);
    } else {
      StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES (");
      for (int i = 0; i < t.length; i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      sql.append(')').append(tail);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (Object[] row : rows) {
          for (int col = 0; col < row.length; col++) {
            ps.setObject(col + 1, row[col]);
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }
}
