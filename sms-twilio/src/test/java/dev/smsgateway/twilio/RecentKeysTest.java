package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RecentKeys (the webhook's de-duplication window)")
class RecentKeysTest {

  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  @DisplayName("a key is taken once within its window, again once the window has passed or after remove")
  void window() {
    RecentKeys keys = new RecentKeys(Duration.ofMinutes(10), 1000);
    assertThat(keys.add("in:a", T0)).isTrue();
    assertThat(keys.add("in:a", T0.plusSeconds(599))).isFalse();
    assertThat(keys.add("in:b", T0.plusSeconds(1))).isTrue();
    keys.remove("in:b");
    assertThat(keys.add("in:b", T0.plusSeconds(2))).isTrue();
    assertThat(keys.add("in:a", T0.plusSeconds(600))).isTrue(); // expires at exactly T0 + 10 min
    assertThat(keys.add("in:a", T0.plusSeconds(601))).isFalse();
    assertThat(keys.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("beyond its capacity the oldest keys are forgotten first")
  void capacity() {
    RecentKeys keys = new RecentKeys(Duration.ofHours(1), 3);
    for (int i = 0; i < 5; i++) {
      assertThat(keys.add("k" + i, T0.plusSeconds(i))).isTrue();
    }
    assertThat(keys.add("k4", T0.plusSeconds(6))).isFalse();
    assertThat(keys.add("k0", T0.plusSeconds(7))).isTrue();
  }

  @Test
  @DisplayName("a key removed and added again at the same instant is not forgotten when its first mark is evicted")
  void readdedAtTheSameInstant() {
    RecentKeys keys = new RecentKeys(Duration.ofHours(1), 10);
    assertThat(keys.add("a", T0)).isTrue();
    keys.remove("a"); // the listener failed: Twilio's retry must be processed
    for (int i = 1; i <= 5; i++) {
      assertThat(keys.add("k" + i, T0)).isTrue();
    }
    assertThat(keys.add("a", T0)).isTrue(); // the retry, processed, in the same instant as the first delivery
    for (int i = 6; i <= 10; i++) {
      assertThat(keys.add("k" + i, T0)).isTrue(); // the last one evicts the first mark of "a"
    }
    // "a" was taken after k1..k5: the oldest (k1) goes now, "a" is still remembered
    assertThat(keys.add("a", T0)).isFalse();
  }

  @Test
  @DisplayName("a window of centuries is remembered as forever, never an error")
  void hugeWindow() {
    RecentKeys keys = new RecentKeys(Duration.ofSeconds(Long.MAX_VALUE), 10);
    assertThat(keys.add("a", T0)).isTrue();
    assertThat(keys.add("a", T0.plus(Duration.ofDays(365 * 200)))).isFalse();
    assertThat(keys.add("b", T0)).isTrue();
  }

  @Test
  @DisplayName("8 threads adding the same new key, or the same expired key, at once: exactly one takes it, 200 times")
  void racingAdds() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 200; round++) {
        RecentKeys keys = new RecentKeys(Duration.ofSeconds(10), 1000);
        boolean expired = round % 2 == 1;
        if (expired) {
          keys.add("in:x", T0);
        }
        Instant at = expired ? T0.plusSeconds(20) : T0;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> adds = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          adds.add(pool.submit(() -> {
            start.await();
            return keys.add("in:x", at);
          }));
        }
        start.countDown();
        int taken = 0;
        for (Future<Boolean> f : adds) {
          taken += f.get() ? 1 : 0;
        }
        assertThat(taken).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
