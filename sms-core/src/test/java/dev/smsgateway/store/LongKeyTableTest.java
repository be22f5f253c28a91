package dev.smsgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The open-addressing index of the in-memory conversation store. */
class LongKeyTableTest {

  private static final class Item extends IndexEntry {
    Item(long key) {
      super(key, null);
    }
  }

  private final LongKeyTable<Item> table = new LongKeyTable<>();

  @Test
  @DisplayName("put, get, replace in place and remove only the stored entry")
  void basics() {
    Item a = new Item(14155550100L);
    Item b = new Item(14155550101L);
    table.put(a);
    table.put(b);
    assertThat(table.get(14155550100L)).isSameAs(a);
    assertThat(table.get(14155550101L)).isSameAs(b);
    assertThat(table.get(14155550102L)).isNull();
    Item a2 = new Item(14155550100L);
    table.put(a2);
    assertThat(table.get(14155550100L)).isSameAs(a2);
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.removeExactly(a)).as("a replaced entry is not removed").isFalse();
    assertThat(table.get(14155550100L)).isSameAs(a2);
    assertThat(table.removeExactly(a2)).isTrue();
    assertThat(table.get(14155550100L)).isNull();
    assertThat(table.get(14155550101L)).isSameAs(b);
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("grows past many entries, and entries behind a removed one in a probe run stay findable")
  void growthAndTombstones() {
    List<Item> items = new ArrayList<>();
    for (long k = 0; k < 100_000; k++) {
      Item i = new Item(14152000000L + k);
      items.add(i);
      table.put(i);
    }
    for (int k = 0; k < items.size(); k += 2) {
      assertThat(table.removeExactly(items.get(k))).isTrue();
    }
    for (int k = 0; k < items.size(); k++) {
      assertThat(table.get(items.get(k).key)).isSameAs(k % 2 == 0 ? null : items.get(k));
    }
    assertThat(table.size()).isEqualTo(50_000);
  }

  @Test
  @DisplayName("endless put and remove cycles keep working (tombstones are cleared by rebuilds)")
  void churn() {
    Item kept = new Item(7);
    table.put(kept);
    for (long k = 0; k < 200_000; k++) {
      Item i = new Item(1_000_000L + k);
      table.put(i);
      assertThat(table.get(i.key)).isSameAs(i);
      assertThat(table.removeExactly(i)).isTrue();
    }
    assertThat(table.get(7)).isSameAs(kept);
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("a lock-free read never misses an entry stored before it started, while the table grows")
  void readsDuringGrowth() throws Exception {
    Item first = new Item(42);
    table.put(first);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong published = new AtomicLong(-1);
    CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
      long misses = 0;
      while (!done.get()) {
        long upTo = published.get();
        if (table.get(42) != first) {
          misses++;
        }
        if (upTo >= 0 && table.get(1_000_000L + upTo) == null) {
          misses++;
        }
      }
      return misses;
    });
    for (long k = 0; k < 300_000; k++) {
      table.put(new Item(1_000_000L + k));
      published.set(k);
    }
    done.set(true);
    assertThat(reader.get()).isZero();
  }
}
