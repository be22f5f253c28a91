package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.RetryPolicy;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link GatewayListener}'s promise "onSent followed by delivery reports" on every path: a report that carries our
 * message id (a Twilio status callback, an EUM event, an SMPP receipt the provider correlated itself) and arrives
 * before the send ended waits until every listener has seen the outcome.
 */
class SmsGatewayReportOrderTest {

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  final ManualScheduler scheduler = new ManualScheduler(clock);
  SmsGateway gateway;

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static OutboundSms sms() {
    return OutboundSms.builder().to("+14155550100").body("Hi").build();
  }

  DeliveryReport early(String messageId) {
    return DeliveryReport.builder().provider("primary").providerMessageId("SM-early").messageId(messageId)
        .status(DeliveryStatus.DELIVERED).occurredAt(clock.instant()).build();
  }

  @Test
  @DisplayName("a report with our message id that arrives while the provider's answer is pending comes after onSent")
  void heldUntilSent() {
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock)
        .latency(Duration.ofSeconds(1), scheduler).build();
    Order order = new Order("l");
    gateway = SmsGateway.builder().provider(primary).clock(clock).scheduler(scheduler).listener(order).build();
    gateway.start();
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    String id = order.accepted.get(0);
    primary.deliverReport(early(id));
    assertThat(order.events).containsExactly("l:accepted");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(f).isCompleted();
    assertThat(order.events).containsExactly("l:accepted", "l:sent", "l:report:DELIVERED");
    assertThat(gateway.status(id).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  @DisplayName("a report that arrives while an earlier listener is still in onSent waits for every listener's onSent")
  void heldWhileAListenerIsSlow() throws Exception {
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    primary.enqueue(Outcome.pending());
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch inOnSent = new CountDownLatch(1);
    CountDownLatch reportDelivered = new CountDownLatch(1);
    GatewayListener slow = new Order("slow", events) {
      @Override
      public void onSent(SendReceipt receipt) {
        super.onSent(receipt);
        inOnSent.countDown();
        try {
          reportDelivered.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    Order second = new Order("second", events);
    gateway = SmsGateway.builder().provider(primary).clock(clock).scheduler(scheduler).listener(slow)
        .listener(second).build();
    gateway.start();
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    String id = second.accepted.get(0);
    Thread answering = new Thread(primary::releasePending, "provider-answer");
    answering.start();
    assertThat(inOnSent.await(10, TimeUnit.SECONDS)).isTrue();
    primary.deliverReport(early(id)); // returns once the gateway took the report (held, or announced)
    reportDelivered.countDown();
    answering.join(10_000);
    assertThat(f).isCompleted();
    assertThat(events).containsExactly("slow:accepted", "second:accepted", "slow:sent", "second:sent",
        "slow:report:DELIVERED", "second:report:DELIVERED");
  }

  @Test
  @DisplayName("a report for a send that then fails (a timeout: possibly delivered) comes after onFailed")
  void heldUntilFailed() {
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock)
        .latency(Duration.ofSeconds(1), scheduler).build();
    primary.enqueue(Outcome.timeout());
    Order order = new Order("l");
    gateway = SmsGateway.builder().provider(primary).clock(clock).scheduler(scheduler).listener(order)
        .retryPolicy(RetryPolicy.none()).build();
    gateway.start();
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    String id = order.accepted.get(0);
    primary.deliverReport(early(id));
    assertThat(order.events).containsExactly("l:accepted");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(f).isCompletedExceptionally();
    assertThat(order.events).containsExactly("l:accepted", "l:failed", "l:report:DELIVERED");
  }

  /** Records the order of events, prefixed with a name. Thread-safe. */
  static class Order implements GatewayListener {
    final String name;
    final List<String> events;
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());

    Order(String name) {
      this(name, Collections.synchronizedList(new ArrayList<>()));
    }

    Order(String name, List<String> events) {
      this.name = name;
      this.events = events;
    }

    @Override
    public void onAccepted(String messageId, OutboundSms sms) {
      accepted.add(messageId);
      events.add(name + ":accepted");
    }

    @Override
    public void onSent(SendReceipt receipt) {
      events.add(name + ":sent");
    }

    @Override
    public void onFailed(String messageId, SmsException error) {
      events.add(name + ":failed");
    }

    @Override
    public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
      events.add(name + ":report:" + merged);
    }
  }
}
