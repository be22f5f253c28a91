package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.test.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadBatchTest {

  @Test
  @DisplayName("a lone caller reads its own key at once; a key without a row answers null")
  void alone() {
    List<List<String>> loads = Collections.synchronizedList(new ArrayList<>());
    ReadBatch<String, Integer> batch = new ReadBatch<>(64, keys -> {
      loads.add(keys);
      return keys.contains("a") ? Map.of("a", 1) : Map.of();
    });
    assertThat(batch.get("a")).isEqualTo(1);
    assertThat(batch.get("b")).isNull();
    assertThat(loads).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  @DisplayName("keys queued while a read runs are read together in the next query, each distinct key once, and"
      + " every caller gets its own key's value")
  void queuedKeysShareOneRead() throws Exception {
    List<Set<String>> loads = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    ReadBatch<String, Integer> batch = new ReadBatch<>(64, keys -> {
      loads.add(new HashSet<>(keys));
      if (keys.contains("a")) {
        firstRunning.countDown();
        await(releaseFirst);
      }
      return Map.of("a", 1, "b", 2, "c", 3);
    });
    CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> batch.get("a"), daemon());
    assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> batch.get("b"), daemon());
    CompletableFuture<Integer> c = CompletableFuture.supplyAsync(() -> batch.get("c"), daemon());
    CompletableFuture<Integer> b2 = CompletableFuture.supplyAsync(() -> batch.get("b"), daemon());
    Eventually.await("three callers queued behind the first", Duration.ofSeconds(5), () -> batch.queued() >= 3);
    assertThat(batch.queued()).isEqualTo(3);
    releaseFirst.countDown();
    assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(c.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(b2.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(loads).containsExactly(Set.of("a"), Set.of("b", "c"));
  }

  @Test
  @DisplayName("an exclusive batch (a loader that takes what it reads) gives a key's value to the first of its callers"
      + " in the batch and null to the others")
  void exclusiveKeyGoesToOneCaller() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    ReadBatch<String, Integer> batch = ReadBatch.exclusive(64, keys -> {
      if (keys.contains("a")) {
        firstRunning.countDown();
        await(releaseFirst);
      }
      return Map.of("a", 1, "b", 2);
    });
    CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> batch.get("a"), daemon());
    assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> batch.get("b"), daemon());
    Eventually.await("the first b queued", Duration.ofSeconds(5), () -> batch.queued() >= 1);
    CompletableFuture<Integer> b2 = CompletableFuture.supplyAsync(() -> batch.get("b"), daemon());
    Eventually.await("both b queued", Duration.ofSeconds(5), () -> batch.queued() >= 2);
    releaseFirst.countDown();
    assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(b2.get(5, TimeUnit.SECONDS)).isNull();
  }

  @Test
  @DisplayName("a failed read fails every caller of its batch with the loader's error; the next read runs again")
  void failure() {
    boolean[] fail = {true};
    ReadBatch<String, Integer> batch = new ReadBatch<>(64, keys -> {
      if (fail[0]) {
        throw new IllegalStateException("database down");
      }
      return Map.of("a", 1);
    });
    assertThatThrownBy(() -> batch.get("a")).isInstanceOf(IllegalStateException.class).hasMessage("database down");
    fail[0] = false;
    assertThat(batch.get("a")).isEqualTo(1);
  }

  private static java.util.concurrent.Executor daemon() {
    return r -> {
      Thread t = new Thread(r, "read-batch-test");
      t.setDaemon(true);
      t.start();
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
