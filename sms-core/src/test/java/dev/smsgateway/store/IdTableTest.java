package dev.smsgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The open-addressing index by conversation id of the in-memory conversation store. */
class IdTableTest {

  private static final class Item extends IndexEntry {
    Item(String id) {
      super(-1, id);
    }
  }

  private final IdTable<Item> table = new IdTable<>();

  @Test
  @DisplayName("put if absent, get by an equal string, replace in place, remove only the stored entry")
  void basics() {
    Item a = new Item("conv-a");
    assertThat(table.putIfAbsent(a)).isNull();
    assertThat(table.putIfAbsent(new Item("conv-a"))).isSameAs(a);
    assertThat(table.get(new String("conv-a"))).isSameAs(a);
    assertThat(table.get("conv-b")).isNull();
    Item a2 = new Item("conv-a");
    table.put(a2);
    assertThat(table.get("conv-a")).isSameAs(a2);
    assertThat(table.remove(a)).as("a replaced entry is not removed").isFalse();
    assertThat(table.remove(a2)).isTrue();
    assertThat(table.get("conv-a")).isNull();
    assertThat(table.size()).isZero();
  }

  @Test
  @DisplayName("ids with equal hash codes are told apart")
  void equalHashes() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    Item aa = new Item("Aa");
    Item bb = new Item("BB");
    table.put(aa);
    table.put(bb);
    assertThat(table.get("Aa")).isSameAs(aa);
    assertThat(table.get("BB")).isSameAs(bb);
    assertThat(table.remove(aa)).isTrue();
    assertThat(table.get("BB")).isSameAs(bb);
    assertThat(table.get("Aa")).isNull();
  }

  @Test
  @DisplayName("computeIfAbsent makes an entry once; values lists every entry; growth and churn keep entries findable")
  void growthAndValues() {
    Item made = table.computeIfAbsent("lines-only", Item::new);
    assertThat(table.computeIfAbsent("lines-only", id -> { throw new AssertionError("made twice"); })).isSameAs(made);
    List<Item> items = new ArrayList<>();
    for (int k = 0; k < 50_000; k++) {
      Item i = new Item("id-" + k);
      items.add(i);
      table.put(i);
    }
    for (int k = 0; k < items.size(); k += 2) {
      assertThat(table.remove(items.get(k))).isTrue();
    }
    for (int k = 0; k < 100_000; k++) {
      Item i = new Item("churn-" + k);
      table.put(i);
      assertThat(table.remove(i)).isTrue();
    }
    for (int k = 0; k < items.size(); k++) {
      assertThat(table.get("id-" + k)).isSameAs(k % 2 == 0 ? null : items.get(k));
    }
    assertThat(table.values()).hasSize(25_001).contains(made, items.get(1), items.get(49_999));
    assertThat(table.size()).isEqualTo(25_001);
  }

  @Test
  @DisplayName("a lock-free read never misses an entry stored before it started, while the table grows")
  void readsDuringGrowth() throws Exception {
    Item first = new Item("first");
    table.put(first);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong published = new AtomicLong(-1);
    CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
      long misses = 0;
      while (!done.get()) {
        long upTo = published.get();
        if (table.get("first") != first) {
          misses++;
        }
        if (upTo >= 0 && table.get("id-" + upTo) == null) {
          misses++;
        }
      }
      return misses;
    });
    for (long k = 0; k < 200_000; k++) {
      table.put(new Item("id-" + k));
      published.set(k);
    }
    done.set(true);
    assertThat(reader.get()).isZero();
  }
}
