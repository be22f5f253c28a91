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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heap per record of the in-memory originator store at 1M records (goal: at most 96 bytes; 1M records
 * within a 250 MB heap, which {@code scripts/store-benchmark.sh} enforces by running this with {@code -Xmx250m}),
 * beside the baseline measured in the same run: a naive {@code ConcurrentHashMap<String, OriginatorRecord>} keyed by
 * customer and business number.
 *
 * <p>Workloads: agent ids and texts shared by many records (a contact center's agents sending templates) and no
 * message id, on one business number and spread over ten; then the same plus a message id string of its own per
 * record. Heap is measured after full GCs, before and after filling, with the records' own construction garbage
 * collected. The naive map needs about 240 MB at 1M records, so it is measured only in a heap of at least 700 MB
 * ({@code scripts/store-benchmark.sh} runs the store alone in 250 MB, then both in 1 GB).
 *
 * <p>Settings: {@code memory.records} (default 1,000,000). Not thread-safe; a program.
 */
public final class OriginatorMemoryBenchmark {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private OriginatorMemoryBenchmark() {}

  public static void main(String[] args) {
    int records = Integer.getInteger("memory.records", 1_000_000);
    System.out.printf(Locale.ROOT, "max heap %d MB, %,d records, %s%n", Runtime.getRuntime().maxMemory() >> 20,
        records, ManagementFactory.getRuntimeMXBean().getInputArguments());
    System.out.printf(Locale.ROOT, "%-58s %12s %12s %7s%n", "workload", "store B/rec", "naive B/rec", "ratio");
    for (boolean ownMessageIds : new boolean[] {false, true}) {
      for (int businesses : new int[] {1, 10}) {
        String workload = String.format(Locale.ROOT, "%d business number%s, shared agents and texts, %s", businesses,
            businesses == 1 ? "" : "s", ownMessageIds ? "own message id" : "no message id");
        double store = measure(records, businesses, ownMessageIds, false);
        if (Runtime.getRuntime().maxMemory() < 700L << 20) {
          System.out.printf(Locale.ROOT, "%-58s %12.1f %12s %7s%n", workload, store, "(heap < 700 MB)", "");
          continue;
        }
        double naive = measure(records, businesses, ownMessageIds, true);
        System.out.printf(Locale.ROOT, "%-58s %12.1f %12.1f %6.2fx%n", workload, store, naive, store / naive);
      }
    }
  }

  /** Bytes per record of the store (or of the naive map) holding {@code records} records. */
  private static double measure(int records, int businessCount, boolean ownMessageIds, boolean naive) {
    String[] agents = new String[200];
    for (int i = 0; i < agents.length; i++) {
      agents[i] = "agent-" + i;
    }
    String[] texts = {"Your table is ready", "Your order shipped", "Can we call you back?", "Thanks for waiting"};
    Originator[] businesses = new Originator[businessCount];
    for (int i = 0; i < businessCount; i++) {
      businesses[i] = Originator.longCode(PhoneNumber.of("+1415555019" + i));
    }
    OriginatorStore store = new InMemoryOriginatorStore(Clock.fixed(NOW, ZoneOffset.UTC));
    Map<String, OriginatorRecord> map = new ConcurrentHashMap<>();
    long before = usedAfterGc();
    for (int i = 0; i < records; i++) {
      OriginatorRecord record = OriginatorRecord.of(PhoneNumber.of(String.format("+1555%07d", i)),
          businesses[i % businessCount], agents[i % agents.length], texts[i % texts.length],
          ownMessageIds ? "msg-" + Integer.toHexString(i) : null, NOW.plusMillis(i), Duration.ofHours(24));
      if (naive) {
        map.put(record.customer().e164() + "|" + record.business().key(), record);
      } else {
        store.put(record);
      }
    }
    long after = usedAfterGc();
    PhoneNumber last = PhoneNumber.of(String.format("+1555%07d", records - 1));
    Originator lastBusiness = businesses[(records - 1) % businessCount];
    if (naive ? !map.containsKey(last.e164() + "|" + lastBusiness.key()) : store.find(last, lastBusiness).isEmpty()) {
      throw new AssertionError("last record missing");
    }
    // keep both reachable until measured
    if (store.hashCode() == 42 || map.hashCode() == 42) {
      System.out.println();
    }
    return (after - before) / (double) records;
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
