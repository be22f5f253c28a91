package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heap per record of {@link InMemoryOriginatorStore} against a naive {@code ConcurrentHashMap<String,
 * OriginatorRecord>}, 1M records, both measured in the same run (docs/performance.md memory goal). A program, not a
 * unit
 * test: see docs/sms-core.md for the command. Not thread-safe.
 */
public final class OriginatorStoreMemoryHarness {
  static long used() {
    for (int i = 0; i < 5; i++) { System.gc(); try { Thread.sleep(100); } catch (InterruptedException e) {} }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
  public static void main(String[] a) {
    int n = 1_000_000;
    boolean ownIds = a.length > 0 && a[0].equals("ownIds");
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    Originator[] business = new Originator[10];
    for (int i = 0; i < 10; i++) business[i] = Originator.longCode(PhoneNumber.of("+1415555019" + i));
    String[] agents = new String[100];
    for (int i = 0; i < 100; i++) agents[i] = "agent-" + i;
    String text = "Your table is ready";
    PhoneNumber[] customers = new PhoneNumber[n];
    for (int i = 0; i < n; i++) customers[i] = PhoneNumber.of("+1212" + String.format("%07d", i));
    Instant now = clock.instant();
    for (int round = 0; round < 2; round++) {
      long base = used();
      InMemoryOriginatorStore store = new InMemoryOriginatorStore(clock);
      for (int i = 0; i < n; i++) {
        store.put(OriginatorRecord.of(customers[i], business[i % 10], agents[i % 100], text,
            ownIds ? "msg-" + i : null, now, Duration.ofHours(24)));
      }
      long compact = used() - base;
      if (store.size() != n) throw new AssertionError();
      store = null;
      base = used();
      Map<String, OriginatorRecord> naive = new ConcurrentHashMap<>();
      for (int i = 0; i < n; i++) {
        OriginatorRecord r = OriginatorRecord.of(customers[i], business[i % 10], agents[i % 100], text,
            ownIds ? "msg-" + i : null, now, Duration.ofHours(24));
        naive.put(customers[i].e164() + "|" + business[i % 10].key(), r);
      }
      long naiveBytes = used() - base;
      if (naive.size() != n) throw new AssertionError();
      naive = null;
      System.out.printf("round %d ownIds=%s: InMemoryOriginatorStore %.1f bytes/record, naive CHM<String,OriginatorRecord> %.1f bytes/record, ratio %.2f%n",
          round, ownIds, compact / (double) n, naiveBytes / (double) n, compact / (double) naiveBytes);
    }
  }
}
