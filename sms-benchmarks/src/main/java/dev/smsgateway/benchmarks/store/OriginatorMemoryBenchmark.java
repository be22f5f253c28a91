package dev.smsgateway.benchmarks.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Heap per record of the in-memory originator store at 1M records (target: at most 200 bytes, and 1M records within
 * a 250 MB heap, which {@code scripts/store-benchmark.sh} enforces by running this with {@code -Xmx250m}).
 *
 * <p>Two workloads: agent ids and texts shared by many records (a contact center's agents sending templates) and no
 * message id, then the same plus a message id string of its own per record. Heap is measured after full GCs, before
 * and after filling, with the records' own construction garbage collected.
 *
 * <p>Settings: {@code memory.records} (default 1,000,000). Not thread-safe; a program.
 */
public final class OriginatorMemoryBenchmark {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private OriginatorMemoryBenchmark() {}

  public static void main(String[] args) {
    int records = Integer.getInteger("memory.records", 1_000_000);
    System.out.printf(Locale.ROOT, "max heap %d MB, %,d records%n", Runtime.getRuntime().maxMemory() >> 20, records);
    measure("shared agent ids and texts, no message id", records, false);
    measure("shared agent ids and texts, own message id string", records, true);
  }

  private static void measure(String workload, int records, boolean ownMessageIds) {
    String[] agents = new String[200];
    for (int i = 0; i < agents.length; i++) {
      agents[i] = "agent-" + i;
    }
    String[] texts = {"Your table is ready", "Your order shipped", "Can we call you back?", "Thanks for waiting"};
    Originator business = Originator.longCode(PhoneNumber.of("+14155550199"));
    OriginatorStore store = new InMemoryOriginatorStore(Clock.fixed(NOW, ZoneOffset.UTC));
    long before = usedAfterGc();
    for (int i = 0; i < records; i++) {
      store.put(OriginatorRecord.of(PhoneNumber.of(String.format("+1555%07d", i)), business,
          agents[i % agents.length], texts[i % texts.length], ownMessageIds ? "msg-" + Integer.toHexString(i) : null,
          NOW.plusMillis(i), Duration.ofHours(24)));
    }
    long after = usedAfterGc();
    if (store.find(PhoneNumber.of(String.format("+1555%07d", records - 1)), business).isEmpty()) {
      throw new AssertionError("last record missing");
    }
    double perRecord = (after - before) / (double) records;
    System.out.printf(Locale.ROOT, "%-52s %6.1f bytes/record, %6.1f MB for %,d records%n", workload, perRecord,
        (after - before) / 1048576.0, records);
    // keep the store reachable until measured
    if (store.hashCode() == 42) {
      System.out.println();
    }
  }

  private static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
