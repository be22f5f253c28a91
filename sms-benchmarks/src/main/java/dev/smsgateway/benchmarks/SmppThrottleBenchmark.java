package dev.smsgateway.benchmarks;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.test.smsc.SmscSimulator;
import dev.smsgateway.test.smsc.SubmitAction;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throttle compliance (docs/performance.md): an SMSC that allows {@code rate} submits a second per bind (a token bucket
 * with a tenth of a second of burst, answering ESME_RTHROTTLED 0x58 beyond it) and a provider configured with
 * {@code partsPerSecond(rate)}. The baseline is the configured rate itself, so the figures are ratios to it:
 *
 * <ol>
 *   <li>compliance: {@code messages} sends as fast as the caller can queue them; the accepted rate as a fraction of
 *       the allowed rate (goal >= 0.98) and the throttled responses as a fraction of all submits (goal <= 0.1%);
 *   <li>recovery: the SMSC refuses everything with 0x58 for two seconds while the caller keeps sending (resending
 *       what was throttled, as the gateway's retry does), then stops; the time from then until the provider is back
 *       at 90% of the allowed rate over a 250 ms window (goal <= 2 s).
 * </ol>
 *
 * <p>Run: {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-throttle}. Options: {@code --rate N
 * --messages N}.
 *
 * <p>Not thread-safe; a program.
 */
public final class SmppThrottleBenchmark {

  private static final PhoneNumber TO = PhoneNumber.of("+4915112345678");
  private static final Originator FROM = Originator.longCode(PhoneNumber.of("+14155550100"));

  private SmppThrottleBenchmark() {}

  /** An SMSC-side token bucket; can be told to refuse everything. */
  static final class SmscBucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();
    volatile boolean refuseAll;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicLong lastAcceptNanos = new AtomicLong();

    SmscBucket(int perSecond) {
      this.perNano = perSecond / 1e9;
      this.burst = Math.max(1, perSecond / 10.0);
      this.tokens = burst;
    }

    synchronized SubmitAction take() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) * perNano);
      last = now;
      if (refuseAll || tokens < 1) {
        throttled.incrementAndGet();
        return SubmitAction.reject(0x58);
      }
      tokens -= 1;
      accepted.incrementAndGet();
      lastAcceptNanos.set(now);
      return SubmitAction.accept();
    }
  }

  public static void main(String[] args) throws Exception {
    int rate = 200;
    int messages = 2_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--messages" -> messages = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --rate N --messages N");
      }
    }
    SmscBucket bucket = new SmscBucket(rate);
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("bench", "bench").build().start()) {
      smsc.onSubmit(s -> bucket.take());
      SmppSmsProvider provider = SmppSmsProvider.builder().name("throttle").host(smsc.host()).port(smsc.port())
          .systemId("bench").password("bench").window(10).partsPerSecond(rate).queueCapacity(Math.max(messages, rate * 6) * 2)
          .queueTimeout(Duration.ofMinutes(5)).throttlePause(Duration.ofMillis(200)).defaultOriginator(FROM).build();
      BenchProviders.started(provider);
      try {
        System.out.printf(Locale.ROOT, "SMPP throttle compliance, loopback, allowed %d submits/s (SMSC token bucket,"
            + " burst %d), partsPerSecond(%d), window 10, Java %s, %d CPUs%n", rate, Math.max(1, rate / 10), rate,
            Runtime.version(), Runtime.getRuntime().availableProcessors());
        // warm-up, not counted
        sendAll(provider, Math.max(50, rate / 2), new AtomicInteger());
        Thread.sleep(200); // lets the SMSC bucket refill after the warm-up (a benchmark, not a test)
        bucket.accepted.set(0);
        bucket.throttled.set(0);

        AtomicInteger resent = new AtomicInteger();
        long t0 = System.nanoTime();
        sendAll(provider, messages, resent);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int accepted = bucket.accepted.get();
        int throttled = bucket.throttled.get();
        double achieved = accepted / seconds;
        System.out.printf(Locale.ROOT, "compliance: %d messages in %.2f s = %.1f/s, %.3f of the allowed rate (goal >="
            + " 0.98); %d of %d submits throttled = %.3f%% (goal <= 0.1%%); %d resends%n", accepted, seconds,
            achieved, achieved / rate, throttled, accepted + throttled, 100.0 * throttled / (accepted + throttled),
            resent.get());

        double recovery = recovery(provider, bucket, rate);
        System.out.printf(Locale.ROOT, "recovery: back at >= 90%% of the allowed rate %.0f ms after the SMSC stopped"
            + " throttling (goal <= 2000 ms)%n", recovery);
      } finally {
        provider.close();
      }
    }
  }

  /** Sends {@code n} messages, resending each one the SMSC throttled, and waits for all of them. */
  private static void sendAll(SmppSmsProvider provider, int n, AtomicInteger resent) throws Exception {
    CompletableFuture<?>[] all = new CompletableFuture<?>[n];
    for (int i = 0; i < n; i++) {
      all[i] = sendUntilAccepted(provider, "t" + i, resent);
    }
    CompletableFuture.allOf(all).get(10, TimeUnit.MINUTES);
  }

  private static CompletableFuture<SendReceipt> sendUntilAccepted(SmppSmsProvider provider, String id,
      AtomicInteger resent) {
    SubmitRequest request = SubmitRequest.builder().messageId(id).to(TO).body("Your code is 123456")
        .deliveryReport(false).build();
    return provider.send(request).handle((receipt, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(receipt);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof SmsThrottledException) {
        resent.incrementAndGet();
        return sendUntilAccepted(provider, id, resent);
      }
      return CompletableFuture.<SendReceipt>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  /**
   * Throttles everything for two seconds while sending, stops, and returns the milliseconds until a 250 ms window
   * of accepted submits reaches 90% of the allowed rate.
   */
  private static double recovery(SmppSmsProvider provider, SmscBucket bucket, int rate) throws Exception {
    int n = rate * 6;
    AtomicInteger resent = new AtomicInteger();
    bucket.refuseAll = true;
    CompletableFuture<?>[] all = new CompletableFuture<?>[n];
    for (int i = 0; i < n; i++) {
      all[i] = sendUntilAccepted(provider, "r" + i, resent);
    }
    Thread.sleep(2_000); // the SMSC's outage (a benchmark, not a test)
    long stopped = System.nanoTime();
    int before = bucket.accepted.get();
    bucket.refuseAll = false;
    double needed = 0.9 * rate * 0.25;
    int prev = before;
    long windowStart = stopped;
    while (!CompletableFuture.allOf(all).isDone()) {
      Thread.sleep(25);
      long now = System.nanoTime();
      if (now - windowStart >= TimeUnit.MILLISECONDS.toNanos(250)) {
        int acc = bucket.accepted.get();
        if (acc - prev >= needed * (now - windowStart) / TimeUnit.MILLISECONDS.toNanos(250)) {
          CompletableFuture.allOf(all).get(10, TimeUnit.MINUTES);
          return (windowStart - stopped) / 1e6;
        }
        prev = acc;
        windowStart = now;
      }
    }
    CompletableFuture.allOf(all).get(10, TimeUnit.MINUTES);
    return Double.NaN;
  }
}
