package dev.smsgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compact table behind {@link InMemoryOriginatorStore} (the behaviour every store shares is in sms-test's
 * {@code OriginatorStoreCompatibilityKit}): growth, replacement, removal and purging at sizes that make tables grow
 * many times, and reads that never miss a record while other threads write and grow the table.
 */
@DisplayName("InMemoryOriginatorStore's table")
class InMemoryOriginatorStoreTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00.123456789Z");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  static final Originator OTHER = Originator.longCode(PhoneNumber.of("+14155550198"));

  static final PhoneNumber[] CUSTOMERS = new PhoneNumber[120_000];

  static {
    for (int i = 0; i < CUSTOMERS.length; i++) {
      CUSTOMERS[i] = PhoneNumber.of("+1212" + (1_000_000 + i));
    }
  }

  static PhoneNumber customer(int i) {
    return CUSTOMERS[i];
  }

  static OriginatorRecord record(int i, String agent, Duration ttl) {
    return OriginatorRecord.of(customer(i), BUSINESS, agent, "text " + i, "m-" + i, NOW.plusNanos(i), ttl);
  }

  @Test
  @DisplayName("30,000 records survive the table's growth with every field exact; replaced and removed ones too")
  void growReplaceRemove() {
    InMemoryOriginatorStore store = new InMemoryOriginatorStore(Clock.fixed(NOW, ZoneOffset.UTC));
    int n = 30_000;
    for (int i = 0; i < n; i++) {
      store.put(record(i, "agent-" + (i % 7), Duration.ofHours(1)));
    }
    store.put(OriginatorRecord.of(customer(0), OTHER, "other", null, null, NOW, Duration.ofHours(1)));
    assertThat(store.size()).isEqualTo(n + 1);
    for (int i = 0; i < n; i += 2) {
      store.put(record(i, "replaced", Duration.ofHours(2)));
    }
    for (int i = 0; i < n; i += 5) {
      assertThat(store.remove(customer(i), BUSINESS)).isTrue();
      assertThat(store.remove(customer(i), BUSINESS)).isFalse();
    }
    assertThat(store.size()).isEqualTo(n + 1 - n / 5);
    for (int i = 0; i < n; i++) {
      var found = store.find(customer(i), BUSINESS);
      if (i % 5 == 0) {
        assertThat(found).as("customer %d", i).isEmpty();
        continue;
      }
      OriginatorRecord expected = record(i, i % 2 == 0 ? "replaced" : "agent-" + (i % 7),
          Duration.ofHours(i % 2 == 0 ? 2 : 1));
      assertThat(found).as("customer %d", i).contains(expected);
    }
    assertThat(store.find(customer(0), OTHER)).map(OriginatorRecord::agentId).contains("other");
  }

  @Test
  @DisplayName("purgeExpired removes exactly the expired records, by the clock, and the rest stay findable")
  void purge() {
    Instant[] now = {NOW};
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    InMemoryOriginatorStore writer = new InMemoryOriginatorStore(clock);
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      writer.put(record(i, "a", Duration.ofMinutes(i % 3 == 0 ? 1 : 10)));
    }
    // Purging is by the store's clock; the records' createdAt differ by i nanoseconds, all well inside a minute.
    assertThat(writer.purgeExpired()).isZero();
    now[0] = NOW.plus(Duration.ofMinutes(5));
    assertThat(writer.purgeExpired()).isEqualTo((n + 2) / 3);
    assertThat(writer.size()).isEqualTo(n - (n + 2) / 3);
    for (int i = 0; i < n; i++) {
      assertThat(writer.find(customer(i), BUSINESS).isPresent()).as("customer %d", i).isEqualTo(i % 3 != 0);
    }
  }

  @Test
  @DisplayName("readers never miss a record while writers grow the table, replace and remove other records")
  void concurrentReadsNeverMiss() throws InterruptedException {
    InMemoryOriginatorStore store = new InMemoryOriginatorStore(Clock.fixed(NOW, ZoneOffset.UTC));
    int stable = 1_000;
    for (int i = 0; i < stable; i++) {
      store.put(record(i, "stable", Duration.ofHours(1)));
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger misses = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      int offset = r;
      threads.add(new Thread(() -> {
        int i = offset;
        while (writing.get()) {
          if (store.find(customer(i % stable), BUSINESS).map(OriginatorRecord::agentId).filter("stable"::equals)
              .isEmpty()) {
            misses.incrementAndGet();
          }
          reads.incrementAndGet();
          i += 7;
        }
      }));
    }
    for (int w = 0; w < 2; w++) {
      int base = stable + w * 50_000;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          store.put(record(base + i, "new", Duration.ofHours(1)));
          if (i % 3 == 0) {
            store.remove(customer(base + i / 2), BUSINESS);
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads.subList(2, 4)) {
      t.join();
    }
    writing.set(false);
    for (Thread t : threads.subList(0, 2)) {
      t.join();
    }
    assertThat(reads.get()).isPositive();
    assertThat(misses.get()).isZero();
    for (int i = 0; i < stable; i++) {
      assertThat(store.find(customer(i), BUSINESS)).isPresent();
    }
  }

  @Test
  @DisplayName("records of one agent share one agent id string; past 4,096 distinct ids, ids are kept as given")
  void agentIdsKeptOnce() {
    InMemoryOriginatorStore store = new InMemoryOriginatorStore(Clock.fixed(NOW, ZoneOffset.UTC));
    for (int i = 0; i < 3; i++) {
      store.put(record(i, new String("agent-7".toCharArray()), Duration.ofHours(1)));
    }
    String first = store.find(customer(0), BUSINESS).orElseThrow().agentId();
    assertThat(first).isEqualTo("agent-7");
    assertThat(store.find(customer(1), BUSINESS).orElseThrow().agentId()).isSameAs(first);
    assertThat(store.find(customer(2), BUSINESS).orElseThrow().agentId()).isSameAs(first);

    for (int i = 3; i < 3 + InMemoryOriginatorStore.AGENT_IDS; i++) {
      store.put(record(i, "agent-" + (1_000 + i), Duration.ofHours(1)));
    }
    String late = new String("agent-late".toCharArray());
    store.put(record(10_000, late, Duration.ofHours(1)));
    store.put(record(10_001, new String("agent-late".toCharArray()), Duration.ofHours(1)));
    assertThat(store.find(customer(10_000), BUSINESS).orElseThrow().agentId()).isSameAs(late);
    assertThat(store.find(customer(10_001), BUSINESS).orElseThrow().agentId()).isEqualTo("agent-late")
        .isNotSameAs(late);
    assertThat(store.find(customer(1), BUSINESS).orElseThrow().agentId()).isSameAs(first);
  }
}
