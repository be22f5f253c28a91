package dev.smsgateway.store.jdbc;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The child process of {@link R1KillDuringWriteTest}: writes originator records {@code from} (inclusive) to
 * {@code to} (exclusive) on {@link #THREADS} threads and prints {@code ack <index>} to stdout once {@code put}
 * returned, i.e. once the write is acknowledged, or {@code fail <index> <exception>} when {@code put} threw (the write
 * was reported failed, not acknowledged). The parent kills it with {@code destroyForcibly()} (SIGKILL) mid-write.
 *
 * <p>Usage: {@code R1Writer h2 <directory> <from> <to> | R1Writer pg <jdbc url> <from> <to>}
 */
public final class R1Writer {

  /** All records are created relative to this instant; the parent verifies at {@link #VERIFY_AT}. */
  static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant VERIFY_AT = BASE.plus(Duration.ofDays(1));
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  /** Writers in parallel, as a gateway's request threads would be. */
  static final int THREADS = 4;

  private R1Writer() {}

  static PhoneNumber customer(int i) {
    return PhoneNumber.of(String.format("+1555%07d", i));
  }

  /** Every tenth record lives one second (expired when verified); the others live 30 days. */
  static boolean expiresBeforeVerification(int i) {
    return i % 10 == 0;
  }

  static OriginatorRecord record(int i) {
    Instant created = BASE.plusMillis(i);
    Duration ttl = expiresBeforeVerification(i) ? Duration.ofSeconds(1) : Duration.ofDays(30);
    return OriginatorRecord.of(customer(i), BUSINESS, "agent-" + i, "text " + i, "msg-" + i, created, ttl);
  }

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int from = Integer.parseInt(args[2]);
    int to = Integer.parseInt(args[3]);
    JdbcStores.Builder builder = JdbcStores.builder().clock(Clock.fixed(BASE, ZoneOffset.UTC))
        .purgeInterval(Duration.ZERO);
    JdbcConnectionPool pgPool = null;
    if (kind.equals("h2")) {
      builder.h2File(Path.of(args[1]));
    } else {
      PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
      pg.setURL(args[1]);
      pgPool = JdbcConnectionPool.create(pg);
      builder.dataSource(pgPool);
    }
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
    try (JdbcStores stores = builder.build()) {
      OriginatorStore store = stores.originatorStore();
      out.println("ack ready");
      AtomicInteger next = new AtomicInteger(from);
      Thread[] writers = new Thread[THREADS];
      for (int t = 0; t < THREADS; t++) {
        writers[t] = new Thread(() -> {
          for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
            try {
              store.put(record(i));
            } catch (RuntimeException e) {
              // reported to the caller, not acknowledged: the parent counts it and writes the record again
              out.println("fail " + i + " " + e.toString().replace('\n', ' '));
              continue;
            }
            out.println("ack " + i); // PrintStream is synchronized: one whole line per acknowledgement
          }
        }, "r1-writer-" + t);
        writers[t].start();
      }
      for (Thread writer : writers) {
        writer.join();
      }
      out.println("ack done");
    } finally {
      if (pgPool != null) {
        pgPool.dispose();
      }
    }
  }
}
