package dev.smsgateway.benchmarks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.benchmarks.store.DurableEndToEndBenchmark.ThreadCpu;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-to-end benchmark's {@code --thread-cpu} attribution: thread groups and the per-conversation line. */
class ThreadCpuAttributionTest {

  @Test
  void threadsOfOnePoolShareAGroup() {
    assertThat(DurableEndToEndBenchmark.group("sms-jdbc-group-commit-12")).isEqualTo("sms-jdbc-group-commit-#");
    assertThat(DurableEndToEndBenchmark.group("pool-3-thread-14")).isEqualTo("pool-#-thread-#");
    assertThat(DurableEndToEndBenchmark.group("main")).isEqualTo("main");
  }

  @Test
  void lineSumsDeltasByGroupLargestFirstAndAddsEndedThreads() {
    Map<Long, ThreadCpu> before = Map.of(1L, new ThreadCpu("a-#", 1_000_000L), 2L, new ThreadCpu("a-#", 0L));
    Map<Long, ThreadCpu> after = Map.of(1L, new ThreadCpu("a-#", 3_000_000L), 2L, new ThreadCpu("a-#", 1_000_000L),
        // started during the round: all of its time counts
        3L, new ThreadCpu("b-#", 5_000_000L),
        // below 1 us per conversation: left out
        4L, new ThreadCpu("c", 100L));
    String line = DurableEndToEndBenchmark.threadCpuLine(before, after, Map.of("caller-#", 4_000_000L), 1000);
    // a-#: (2 + 1) ms over 1,000 conversations = 3 us; b-#: 5 us; caller-#: 4 us
    assertThat(line).isEqualTo("  b-# 5  caller-# 4  a-# 3");
  }
}
