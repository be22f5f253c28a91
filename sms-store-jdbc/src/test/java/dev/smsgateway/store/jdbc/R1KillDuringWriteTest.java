package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * R1 (docs/reliability.md): originator records written by a child JVM that is killed with SIGKILL ({@code
 * destroyForcibly}) ten times mid-write; after the last run, every acknowledged record is there and no expired one is
 * served. Record count and kills scale with {@code -Dsms.r1.records} and {@code -Dsms.r1.kills} (default 10). The
 * issue's figure is 100,000 records; the default in the build is 2,000 to stay within the module's time budget on a
 * shared 2-core machine (see docs/sms-store-jdbc.md for both runs).
 */
class R1KillDuringWriteTest {

  private static final Logger log = LoggerFactory.getLogger(R1KillDuringWriteTest.class);

  private static final int RECORDS = Integer.getInteger("sms.r1.records", 2_000);
  private static final int KILLS = Integer.getInteger("sms.r1.kills", 10);
  private static final long SEED = Long.getLong("sms.r1.seed", System.nanoTime());

  @TempDir Path directory;

  @Test
  void h2File() throws Exception {
    Path db = directory.resolve("db");
    Result result = writeWithKills("h2", db.toString());
    MutableClock clock = new MutableClock(R1Writer.VERIFY_AT);
    try (JdbcStores stores = JdbcStores.builder().h2File(db).clock(clock).purgeInterval(Duration.ZERO).build()) {
      verify(result, stores, () -> h2DataSource(db));
    }
  }

  @Test
  void postgres() throws Exception {
    try (PostgresDatabase database = PostgresDatabase.create()) {
      Result result = writeWithKills("pg", database.url());
      MutableClock clock = new MutableClock(R1Writer.VERIFY_AT);
      try (JdbcStores stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock)
          .purgeInterval(Duration.ZERO).build()) {
        verify(result, stores, database::dataSource);
      }
    }
  }

  private static DataSource h2DataSource(Path db) {
    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ds.setURL(H2Files.url(db));
    ds.setUser("sa");
    return ds;
  }

  record Result(BitSet acknowledged, int kills, long millis) {}

  private Result writeWithKills(String kind, String location) throws Exception {
    log.info("R1 {}: {} records, {} kills, seed {}", kind, RECORDS, KILLS, SEED);
    Random random = new Random(SEED);
    BitSet acked = new BitSet(RECORDS);
    long start = System.nanoTime();
    int next = 0;
    int kills = 0;
    for (int k = 0; k < KILLS; k++) {
      int remaining = RECORDS - next;
      int share = Math.max(2 * R1Writer.THREADS, remaining / (KILLS - k + 1));
      int killAfter = share / 2 + random.nextInt(share);
      Run run = runChild(kind, location, next, RECORDS, killAfter);
      assertThat(run.killed).as("run %d was killed mid-write, not finished", k).isTrue();
      kills++;
      run.acked.forEach(acked::set);
      // The next run starts at the first unacknowledged record; re-writing an acknowledged one is harmless.
      next = acked.nextClearBit(0);
    }
    Run last = runChild(kind, location, next, RECORDS, Integer.MAX_VALUE);
    assertThat(last.finished).as("the last run finished").isTrue();
    last.acked.forEach(acked::set);
    if (acked.cardinality() < RECORDS) {
      // A put that failed was reported to its caller (R1 allows it; the child printed why): the caller writes it
      // again, as an application would. Once: a store that keeps failing fails the count below.
      Run again = runChild(kind, location, acked.nextClearBit(0), RECORDS, Integer.MAX_VALUE);
      assertThat(again.finished).as("the run after the reported failures finished").isTrue();
      again.acked.forEach(acked::set);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    log.info("R1 {}: {} acknowledged of {} in {} ms across {} kills", kind, acked.cardinality(), RECORDS, millis,
        kills);
    return new Result(acked, kills, millis);
  }

  record Run(List<Integer> acked, boolean killed, boolean finished) {}

  private Run runChild(String kind, String location, int from, int to, int killAfter) throws Exception {
    Path stderr = Files.createTempFile(directory, "r1-child", ".err");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        R1Writer.class.getName(), kind, location, Integer.toString(from), Integer.toString(to))
        .redirectError(stderr.toFile()).start();
    List<Integer> acked = new ArrayList<>();
    boolean killed = false;
    boolean finished = false;
    try (Reader reader = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
      LineReader lines = new LineReader(reader);
      String line;
      while ((line = lines.next()) != null) {
        if (!(line.startsWith("ack ") || line.startsWith("fail ")) || line.equals("ack ready")) {
          continue; // the child's log lines
        }
        if (line.startsWith("fail ")) {
          // a store's error may quote the row's key: numbers are masked in logs
          log.warn("R1 {}: a put was reported failed (not acknowledged): {}", kind,
              line.substring(5).replaceAll("\\+?\\d{7,15}", "<number>"));
          continue;
        }
        if (line.equals("ack done")) {
          finished = true;
          continue;
        }
        acked.add(Integer.parseInt(line.substring(4)));
        if (!killed && acked.size() >= killAfter) {
          // SIGKILL: no shutdown hooks, no H2 close. Through the handle, because Process.destroyForcibly() also closes
          // our end of the pipe, and the acknowledgements already in it would be lost to the count.
          process.toHandle().destroyForcibly();
          killed = true;
          // Lines already in the pipe were printed after their put returned: they count as acknowledged.
        }
      }
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (!killed && process.exitValue() != 0) {
      throw new AssertionError("child failed: " + Files.readString(stderr));
    }
    return new Run(acked, killed, finished);
  }

  /** Returns only complete lines: a number cut short by the kill (no newline yet) is not an acknowledgement. */
  private static final class LineReader {
    private final Reader reader;
    private final StringBuilder line = new StringBuilder();

    LineReader(Reader reader) {
      this.reader = reader;
    }

    String next() throws IOException {
      int c;
      while ((c = reader.read()) != -1) {
        if (c == '\n') {
          String complete = line.toString();
          line.setLength(0);
          return complete;
        }
        line.append((char) c);
      }
      return null;
    }
  }

  private void verify(Result result, JdbcStores stores, Supplier<DataSource> raw) throws SQLException {
    BitSet acked = result.acknowledged();
    // Durability: every acknowledged record is stored exactly as written (read raw, ignoring TTL).
    Map<String, String> stored = new HashMap<>();
    try (Connection c = raw.get().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT customer, agent_id FROM sms_originator")) {
      while (rs.next()) {
        stored.put(rs.getString(1), rs.getString(2));
      }
    }
    int lost = 0;
    for (int i = acked.nextSetBit(0); i >= 0; i = acked.nextSetBit(i + 1)) {
      if (!("agent-" + i).equals(stored.get(R1Writer.customer(i).e164()))) {
        lost++;
      }
    }
    assertThat(lost).as("acknowledged records lost").isZero();
    assertThat(acked.cardinality()).isEqualTo(RECORDS);

    // TTL on read: no expired record is served, every live one is, with every field as written.
    OriginatorStore store = stores.originatorStore();
    int expiredServed = 0;
    int liveMissing = 0;
    int expired = 0;
    for (int i = 0; i < RECORDS; i++) {
      boolean expires = R1Writer.expiresBeforeVerification(i);
      if (!expires && i % 7 != 0) {
        continue; // every expired record and a seventh of the live ones go through find
      }
      var found = store.find(R1Writer.customer(i), R1Writer.BUSINESS);
      if (expires) {
        expired++;
        if (found.isPresent()) {
          expiredServed++;
        }
      } else if (!found.equals(java.util.Optional.of(R1Writer.record(i)))) {
        liveMissing++;
      }
    }
    assertThat(expiredServed).as("expired records served").isZero();
    assertThat(liveMissing).as("live records not found as written").isZero();
    // The purge deletes exactly the expired rows.
    assertThat(stores.purgeExpired()).isEqualTo(expired);
    log.info("R1 verified: {} acknowledged, 0 lost, {} expired never served, {} ms of writing", acked.cardinality(),
        expired, result.millis());
  }
}
