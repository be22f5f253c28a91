package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.ProviderState;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/reliability.md S3 with a virtual clock: the backoff schedule is counted, not waited for. */
class ReconnectScenarioTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234, 99999})
  void alreadyBoundFor150SecondsTakesAtMost8Attempts(long seed) throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").build().start()) {
      smsc.refuseBinds(0x05);
      AtomicLong virtualMillis = new AtomicLong();
      CountDownLatch budgetSpent = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Random random = new Random(seed);
      Sleeper virtual = d -> {
        if (virtualMillis.addAndGet(d.toMillis()) >= 150_000) {
          budgetSpent.countDown();
          release.await();
        }
      };
      RecordingListener listener = new RecordingListener();
      SmppSmsProvider p = SmppSmsProvider.builder().host(smsc.host()).port(smsc.port()).systemId("esme").password("pw")
          .random(random::nextDouble).sleeper(virtual).build();
      try {
        p.start(listener);
        assertThat(budgetSpent.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // attempts made at virtual times below 150 s
        assertThat(smsc.bindAttempts()).isBetween(3, 8);
        assertThat(p.state()).isIn(ProviderState.CONNECTING, ProviderState.DISCONNECTED);
      } finally {
        release.countDown();
        p.close();
      }
    }
  }

  @Test
  void fullJitterStaysUnderTheCeilingAndTheCap() {
    Random random = new Random(7);
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random::nextDouble);
    for (int attempt = 1; attempt < 40; attempt++) {
      long ceiling = Math.min(60_000, 1000L << Math.min(attempt - 1, 20));
      for (int i = 0; i < 50; i++) {
        long d = b.delay(attempt, false).toMillis();
        assertThat(d).isBetween(0L, ceiling);
      }
    }
    Backoff alwaysMax = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999999);
    assertThat(alwaysMax.delay(100, false)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    assertThat(alwaysMax.delay(100, true)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    Backoff alwaysMin = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
    assertThat(alwaysMin.delay(1, false)).isZero();
    assertThat(alwaysMin.delay(1, true)).isEqualTo(Duration.ofMillis(2500));
  }
}
