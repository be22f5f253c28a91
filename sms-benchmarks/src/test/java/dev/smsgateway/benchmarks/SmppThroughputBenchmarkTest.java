package dev.smsgateway.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A smoke run of the harness: both clients complete every submit. Timing is reported by the benchmark, not asserted. */
class SmppThroughputBenchmarkTest {

  @Test
  void harnessRunsBothClientsToCompletion() throws Exception {
    SmppThroughputBenchmark.Result r = SmppThroughputBenchmark.run(500, 2, 4, 2);
    assertThat(r.rounds()).hasSize(2);
    assertThat(r.rounds()).allSatisfy(x -> {
      assertThat(x.rawRate()).isPositive();
      assertThat(x.providerRate()).isPositive();
    });
    assertThat(Median.of(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Median.of(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
  }
}
