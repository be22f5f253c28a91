package dev.smsgateway.benchmarks;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.smpp.SmppSmsProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What the SMPP benchmarks share: starting a provider, and driving it the way an asynchronous caller does. */
final class BenchProviders {

  private BenchProviders() {}

  /** Starts {@code provider} and waits until it is bound. */
  static SmppSmsProvider started(SmppSmsProvider provider) throws InterruptedException {
    CountDownLatch up = new CountDownLatch(1);
    provider.start(new ProviderListener() {
      @Override
      public void onInbound(InboundSms sms) {}

      @Override
      public void onDeliveryReport(DeliveryReport report) {}

      @Override
      public void onStateChange(String name, ProviderState state, String detail) {
        if (state == ProviderState.CONNECTED) {
          up.countDown();
        }
      }
    });
    if (!up.await(10, TimeUnit.SECONDS)) {
      provider.close();
      throw new IllegalStateException("provider did not bind");
    }
    return provider;
  }

  /**
   * Sends {@code messages} texts to {@code to}, keeping at most {@code outstanding} sends unanswered (a semaphore
   * released by each future, as an asynchronous caller with bounded memory does), and returns {msg/s, CPU
   * microseconds per message}. Throws if any send failed.
   */
  static double[] run(SmppSmsProvider provider, PhoneNumber to, String text, int outstanding, int messages)
      throws InterruptedException {
    Semaphore permits = new Semaphore(outstanding);
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(messages);
    long cpu0 = SmppThroughputBenchmark.cpu();
    long t0 = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      permits.acquire();
      SubmitRequest request = SubmitRequest.builder().messageId("b" + i).to(to).body(text).deliveryReport(false)
          .build();
      CompletableFuture<SendReceipt> f = provider.send(request);
      f.whenComplete((r, e) -> {
        if (e != null) {
          failed.incrementAndGet();
        }
        permits.release();
        done.countDown();
      });
    }
    done.await();
    long nanos = System.nanoTime() - t0;
    long cpu = SmppThroughputBenchmark.cpu() - cpu0;
    if (failed.get() > 0) {
      throw new IllegalStateException("SmppSmsProvider: " + failed.get() + " sends failed");
    }
    return new double[] {messages * 1e9 / nanos, cpu / 1e3 / messages};
  }
}
