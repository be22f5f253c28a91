package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/reliability.md S12 with a virtual clock. */
class MultipartAssemblerTest {

  record Part(String key, int total, int seq, String text) {}

  @Test
  void shuffledPartsWithGapsAndDuplicatesReassembleExactlyOnce() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    MultipartAssembler a = new MultipartAssembler(clock, Duration.ofMinutes(5), 2_000);
    Random random = new Random(12);
    Map<String, String> complete = new HashMap<>();
    List<Part> parts = new ArrayList<>();
    int incomplete = 0;
    for (int m = 0; m < 1_000; m++) {
      String key = "+4915100000" + (m % 50) + "|12345|" + m;
      int total = 2 + random.nextInt(3);
      StringBuilder full = new StringBuilder();
      List<Part> mine = new ArrayList<>();
      for (int s = 1; s <= total; s++) {
        String t = "m" + m + "p" + s + ";";
        full.append(t);
        mine.add(new Part(key, total, s, t));
      }
      int roll = random.nextInt(100);
      if (roll < 2) {
        mine.remove(random.nextInt(total));
        incomplete++;
      } else {
        complete.put(key, full.toString());
        if (roll < 3) {
          mine.add(mine.get(random.nextInt(mine.size())));
        }
      }
      parts.addAll(mine);
    }
    Collections.shuffle(parts, random);
    Map<String, Integer> emitted = new HashMap<>();
    List<String> texts = new ArrayList<>();
    for (Part p : parts) {
      MultipartAssembler.Result r = a.add(p.key(), p.total(), p.seq(), p.text());
      if (r.outcome() == MultipartAssembler.Outcome.COMPLETE) {
        emitted.merge(p.key(), 1, Integer::sum);
        texts.add(r.message().text());
        assertThat(r.message().text()).isEqualTo(complete.get(p.key()));
      }
    }
    assertThat(emitted).hasSize(complete.size());
    assertThat(emitted.values()).containsOnly(1);
    assertThat(a.pending()).isEqualTo(incomplete);
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    a.sweep();
    assertThat(a.pending()).isZero();
    assertThat(a.expired()).isEqualTo(incomplete);
  }

  @Test
  void pendingGroupsAreCapped() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    MultipartAssembler a = new MultipartAssembler(clock, Duration.ofMinutes(5), 100);
    for (int i = 0; i < 10_000; i++) {
      a.add("k" + i, 3, 1, "x");
    }
    assertThat(a.pending()).isEqualTo(100);
    assertThat(a.evicted()).isEqualTo(9_900);
    assertThat(a.add("k9999", 3, 2, "y").outcome()).isEqualTo(MultipartAssembler.Outcome.PENDING);
    assertThat(a.add("k9999", 3, 3, "z").message().text()).isEqualTo("xyz");
  }

  @Test
  void refusedMessageCompletesAgainWhenItsLastPartIsRedelivered() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    MultipartAssembler a = new MultipartAssembler(clock, Duration.ofMinutes(5), 100);
    a.add("k", 2, 2, "b");
    MultipartAssembler.Result r = a.add("k", 2, 1, "a");
    assertThat(r.message().text()).isEqualTo("ab");
    a.reopen("k", 2, 1, r.message());
    assertThat(a.add("k", 2, 1, "a").message().text()).isEqualTo("ab");
    assertThat(a.add("k", 2, 1, "a").outcome()).isEqualTo(MultipartAssembler.Outcome.DUPLICATE);
  }
}
