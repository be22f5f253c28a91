package dev.smsgateway.smpp;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Records what a provider reports; {@link #await} polls real I/O with a deadline. */
final class RecordingListener implements ProviderListener {
  final List<InboundSms> inbound = new CopyOnWriteArrayList<>();
  // inbound messages this listener refused (failNext)
  final List<InboundSms> refusedInbound = new CopyOnWriteArrayList<>();
  final List<DeliveryReport> reports = new CopyOnWriteArrayList<>();
  final List<ProviderState> states = new CopyOnWriteArrayList<>();
  final List<String> details = new CopyOnWriteArrayList<>();
  volatile RuntimeException failNext;

  @Override
  public void onInbound(InboundSms sms) {
    RuntimeException f = failNext;
    if (f != null) {
      failNext = null;
      refusedInbound.add(sms);
      throw f;
    }
    inbound.add(sms);
  }

  @Override
  public void onDeliveryReport(DeliveryReport report) {
    RuntimeException f = failNext;
    if (f != null) {
      failNext = null;
      throw f;
    }
    reports.add(report);
  }

  @Override
  public void onStateChange(String provider, ProviderState state, String detail) {
    states.add(state);
    details.add(detail);
  }

  ProviderState last() {
    return states.isEmpty() ? null : states.get(states.size() - 1);
  }

  static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
