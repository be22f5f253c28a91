package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import dev.smsgateway.test.smsc.SubmitAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** docs/reliability.md S1, S4, S6, S7 and S10, scaled to a few seconds each. */
class SmppScenarioTest {

  static final PhoneNumber TO = PhoneNumber.of("+4915112345678");
  static final int TAG = 0x1501;

  static SmppSmsProvider.Builder builder(SmscSimulator smsc) {
    return SmppSmsProvider.builder().host(smsc.host()).port(smsc.port()).systemId("esme").password("pw")
        .messageIdTag(TAG).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(300))
        .responseTimeout(Duration.ofMillis(800));
  }

  static String ourId(ReceivedSubmit s) {
    return new String(s.tlv(TAG).orElseThrow(), StandardCharsets.US_ASCII);
  }

  static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  static long smppThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("smpp-")).count();
  }

  @Test
  void s1_killsAtRandomPointsLoseNothingAndDuplicateNothing() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").build().start()) {
      RecordingListener listener = new RecordingListener();
      SmppSmsProvider p = builder(smsc).binds(2).window(8).queueTimeout(Duration.ofSeconds(30)).build();
      p.start(listener);
      assertThat(RecordingListener.await(() -> p.state() == ProviderState.CONNECTED, Duration.ofSeconds(5))).isTrue();
      int total = 2_000;
      Random random = new Random(2026);
      Set<Integer> killAt = new HashSet<>();
      while (killAt.size() < 5) {
        killAt.add(100 + random.nextInt(total - 200));
      }
      Semaphore window = new Semaphore(64);
      Map<String, CompletableFuture<SendReceipt>> futures = new HashMap<>();
      long maxRebindMillis = 0;
      for (int i = 0; i < total; i++) {
        if (killAt.contains(i)) {
          long t0 = System.nanoTime();
          smsc.killSessions();
          // re-bound within the backoff cap (300 ms) + 1 s
          assertThat(smsc.awaitBound(2, Duration.ofMillis(1300))).isTrue();
          maxRebindMillis = Math.max(maxRebindMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        window.acquire();
        String id = "s1-" + i;
        CompletableFuture<SendReceipt> f = p.send(SubmitRequest.builder().messageId(id).to(TO).body("message " + i)
            .deliveryReport(false).build());
        f.whenComplete((r, e) -> window.release());
        futures.put(id, f);
      }
      CompletableFuture.allOf(futures.values().toArray(new CompletableFuture<?>[0]))
          .exceptionally(e -> null).get(60, TimeUnit.SECONDS);
      Map<String, Integer> atSmsc = new HashMap<>();
      for (ReceivedSubmit s : smsc.accepted()) {
        atSmsc.merge(ourId(s), 1, Integer::sum);
      }
      int accepted = 0;
      int failedSafe = 0;
      int unknown = 0;
      for (Map.Entry<String, CompletableFuture<SendReceipt>> e : futures.entrySet()) {
        CompletableFuture<SendReceipt> f = e.getValue();
        assertThat(f).isDone();
        if (!f.isCompletedExceptionally()) {
          accepted++;
          assertThat(atSmsc.get(e.getKey())).as("accepted %s is at the SMSC once", e.getKey()).isEqualTo(1);
          assertThat(f.join().providerMessageIds()).hasSize(1);
        } else {
          Throwable t = cause(f.handle((r, x) -> x).join());
          assertThat(t).isInstanceOf(SmsException.class);
          if (((SmsException) t).possiblyDelivered()) {
            unknown++;
            assertThat(atSmsc.getOrDefault(e.getKey(), 0)).isLessThanOrEqualTo(1);
          } else {
            failedSafe++;
            assertThat(atSmsc).as("%s failed as not sent", e.getKey()).doesNotContainKey(e.getKey());
          }
        }
      }
      // exact accounting: every send ended, as accepted, failed-not-sent or unknown; no duplicates at the SMSC
      assertThat(accepted + failedSafe + unknown).isEqualTo(total);
      assertThat(atSmsc.values()).containsOnly(1);
      assertThat(p.queued()).isZero();
      System.out.printf("S1: %d submits, 5 kills: %d accepted, %d failed before sending, %d unknown (response lost);"
          + " slowest re-bind %d ms%n", total, accepted, failedSafe, unknown, maxRebindMillis);
      p.close();
      assertThat(RecordingListener.await(() -> smppThreads() == 0, Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void s4_throttlingIsRetryableAndNothingIsLostOrDoubled() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").build().start()) {
      Random random = new Random(4);
      smsc.onSubmit(s -> random.nextInt(100) < 30 ? SubmitAction.reject(0x58) : SubmitAction.accept());
      SmppSmsProvider p = builder(smsc).window(4).throttlePause(Duration.ofMillis(20)).build();
      p.start(ProviderListener.NONE);
      assertThat(RecordingListener.await(() -> p.state() == ProviderState.CONNECTED, Duration.ofSeconds(5))).isTrue();
      int total = 300;
      int throttled = 0;
      for (int i = 0; i < total; i++) {
        SubmitRequest r = SubmitRequest.builder().messageId("s4-" + i).to(TO).body("m" + i).build();
        while (true) {
          try {
            p.send(r).join();
            break;
          } catch (CompletionException e) {
            // a caller (the gateway) retries what is retryable; throttling is the only failure expected here
            assertThat(e.getCause()).isInstanceOf(SmsThrottledException.class);
            assertThat(((SmsException) e.getCause()).retryable()).isTrue();
            throttled++;
          }
        }
      }
      List<String> ids = smsc.accepted().stream().map(SmppScenarioTest::ourId).toList();
      assertThat(ids).hasSize(total).doesNotHaveDuplicates();
      // order kept: sent one at a time, accepted in order
      assertThat(ids).containsExactlyElementsOf(java.util.stream.IntStream.range(0, total).mapToObj(i -> "s4-" + i)
          .toList());
      assertThat(throttled).isGreaterThan(50);
      p.close();
    }
  }

  @Test
  void s6_lateResponsesAreUnknownNotFailed() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").pduThreads(32).build().start()) {
      Random random = new Random(6);
      smsc.onSubmit(s -> random.nextInt(100) < 5 ? SubmitAction.acceptAfter(Duration.ofMillis(1500))
          : SubmitAction.accept());
      SmppSmsProvider p = builder(smsc).window(10).build();
      p.start(ProviderListener.NONE);
      assertThat(RecordingListener.await(() -> p.state() == ProviderState.CONNECTED, Duration.ofSeconds(5))).isTrue();
      List<CompletableFuture<SendReceipt>> fs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        fs.add(p.send(SubmitRequest.builder().messageId("s6-" + i).to(TO).body("m" + i).build()));
      }
      int unknown = 0;
      for (CompletableFuture<SendReceipt> f : fs) {
        try {
          f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(SmsTransportException.class);
          assertThat(((SmsException) e.getCause()).possiblyDelivered()).isTrue();
          unknown++;
        }
      }
      // every late one was in fact accepted by the SMSC: "unknown" was the honest answer, "failed" would be wrong
      assertThat(RecordingListener.await(() -> smsc.accepted().size() == 200, Duration.ofSeconds(5))).isTrue();
      assertThat(unknown).isBetween(1, 30);
      p.close();
    }
  }

  @Test
  void s7_receiptsBeforeResponsesDuplicatedAndInTheOtherRadixAllCorrelate() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").build().start()) {
      smsc.autoDeliveryReceipts(true, "DELIVRD").receiptBeforeResponse(true);
      RecordingListener listener = new RecordingListener();
      SmppSmsProvider p = builder(smsc).responseTimeout(Duration.ofSeconds(3)).window(4).build();
      p.start(listener);
      assertThat(RecordingListener.await(() -> p.state() == ProviderState.CONNECTED, Duration.ofSeconds(5))).isTrue();
      Map<String, SendReceipt> receipts = new HashMap<>();
      for (int i = 0; i < 50; i++) {
        receipts.put("s7-" + i, p.send(SubmitRequest.builder().messageId("s7-" + i).to(TO).body("m" + i).build())
            .get(10, TimeUnit.SECONDS));
      }
      smsc.receiptTlvs(false);
      for (SendReceipt r : receipts.values()) {
        // a duplicate, in decimal, with leading zeros
        String decimal = "000" + Long.parseLong(r.providerMessageId(), 16);
        assertThat(smsc.deliverReceipt(decimal, "DELIVRD")).isZero();
      }
      assertThat(RecordingListener.await(() -> listener.reports.size() == 100, Duration.ofSeconds(10))).isTrue();
      for (DeliveryReport d : listener.reports) {
        String ours = d.messageId().orElseThrow();
        assertThat(d.providerMessageId()).isEqualTo(receipts.get(ours).providerMessageId());
        assertThat(d.status()).isEqualTo(dev.smsgateway.DeliveryStatus.DELIVERED);
      }
      p.close();
    }
  }

  @Test
  void s10_bindUnbindCloseCyclesLeakNothing() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").build().start()) {
      long before = smppThreads();
      AtomicLong closedFromListener = new AtomicLong();
      for (int i = 0; i < 200; i++) {
        boolean fromListener = i % 5 == 0;
        SmppSmsProvider[] holder = new SmppSmsProvider[1];
        AtomicInteger connected = new AtomicInteger();
        SmppSmsProvider p = builder(smsc).window(2).build();
        holder[0] = p;
        p.start(new ProviderListener() {
          @Override
          public void onInbound(dev.smsgateway.InboundSms sms) {}

          @Override
          public void onDeliveryReport(DeliveryReport report) {}

          @Override
          public void onStateChange(String provider, ProviderState state, String detail) {
            if (state == ProviderState.CONNECTED) {
              connected.incrementAndGet();
              if (fromListener) {
                holder[0].close();
                closedFromListener.incrementAndGet();
              }
            }
          }
        });
        assertThat(RecordingListener.await(() -> connected.get() > 0, Duration.ofSeconds(5))).isTrue();
        p.close();
        assertThat(p.state()).isEqualTo(ProviderState.CLOSED);
      }
      assertThat(closedFromListener.get()).isEqualTo(40);
      assertThat(RecordingListener.await(() -> smppThreads() <= before, Duration.ofSeconds(10))).isTrue();
      assertThat(RecordingListener.await(() -> smsc.boundSessions() == 0, Duration.ofSeconds(10))).isTrue();
    }
  }
}
