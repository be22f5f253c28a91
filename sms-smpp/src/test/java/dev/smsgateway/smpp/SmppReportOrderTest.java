package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "onSent followed by delivery reports" with SMPP against the SMSC simulator: the provider correlates a receipt to our
 * message id itself, even when it overtakes the submit_sm_resp, so the gateway must hold it until every listener has
 * seen onSent.
 */
class SmppReportOrderTest {

  SmscSimulator smsc;
  SmppSmsProvider provider;
  SmsGateway gateway;
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final CountDownLatch secondSawReport = new CountDownLatch(1);

  @BeforeEach
  void startSmsc() {
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
    provider = SmppSmsProvider.builder().name("smsc").host(smsc.host()).port(smsc.port()).systemId("esme")
        .password("pw").responseTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    provider.close();
    smsc.close();
  }

  void start(GatewayListener first) throws InterruptedException {
    gateway = SmsGateway.builder().provider(provider).listener(first).listener(new Recorder("second")).build();
    gateway.start();
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, Duration.ofSeconds(10)))
        .isTrue();
  }

  static OutboundSms sms() {
    return OutboundSms.builder().to("+14155550100").from("+14155550199").body("Hi").build();
  }

  @Test
  @DisplayName("a receipt the SMSC delivers while the first listener is still in onSent comes after both listeners'"
      + " onSent, and is answered once it is stored (after the send settled), not while it waits")
  void receiptDuringOnSent() throws Exception {
    AtomicInteger receiptStatus = new AtomicInteger(-2);
    List<Thread> smscThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean waitingDuringOnSent = new java.util.concurrent.atomic.AtomicBoolean();
    start(new Recorder("first") {
      @Override
      public void onSent(SendReceipt receipt) {
        super.onSent(receipt);
        // the SMSC sends the receipt now, from its own thread, and waits for its deliver_sm_resp: the gateway holds
        // the report until the send settles (after this listener returns), and answers once it is merged
        ReceivedSubmit submit = smsc.accepted().get(0);
        Thread delivery = new Thread(() -> receiptStatus.set(smsc.deliverReceipt(submit, "DELIVRD")));
        smscThreads.add(delivery);
        delivery.start();
        try {
          delivery.join(300); // a slow listener: the receipt arrives (and waits for its answer) meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        waitingDuringOnSent.set(delivery.isAlive()); // asserted below: a listener's exception would be contained
      }
    });
    gateway.send(sms()).get(10, TimeUnit.SECONDS);
    for (Thread t : smscThreads) {
      t.join(TimeUnit.SECONDS.toMillis(5));
    }
    assertThat(waitingDuringOnSent).as("not answered while onSent ran: the report was not stored yet").isTrue();
    assertThat(receiptStatus).hasValue(0);
    assertThat(RecordingListener.await(() -> events.size() == 4, Duration.ofSeconds(5))).isTrue();
    assertThat(events).containsExactly("first:sent", "second:sent", "first:report:DELIVERED",
        "second:report:DELIVERED");
  }

  @Test
  @DisplayName("a receipt that overtakes its submit_sm_resp comes after every listener's onSent, however long the"
      + " first one takes")
  void receiptBeforeResponse() throws Exception {
    smsc.autoDeliveryReceipts(true, "DELIVRD").receiptBeforeResponse(true);
    start(new Recorder("first") {
      @Override
      public void onSent(SendReceipt receipt) {
        super.onSent(receipt);
        try {
          // a slow listener: gives the early receipt every chance to reach the second listener first
          secondSawReport.await(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    gateway.send(sms()).get(10, TimeUnit.SECONDS);
    assertThat(RecordingListener.await(() -> events.size() == 4, Duration.ofSeconds(5))).isTrue();
    assertThat(events).containsExactly("first:sent", "second:sent", "first:report:DELIVERED",
        "second:report:DELIVERED");
  }

  /** Records sent and report events, prefixed with a name. */
  class Recorder implements GatewayListener {
    final String name;

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public void onSent(SendReceipt receipt) {
      events.add(name + ":sent");
    }

    @Override
    public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
      events.add(name + ":report:" + merged);
      if (name.equals("second")) {
        secondSawReport.countDown();
      }
    }
  }
}
