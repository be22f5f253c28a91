package dev.smsgateway.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsTransportException;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SmsGatewayMetricsTest {

  private static final String BUSINESS = "+14155550199";
  private final MockClock clock = new MockClock();
  private SimpleMeterRegistry registry;
  private SmsGatewayMetrics metrics;

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    metrics = SmsGatewayMetrics.builder(registry).commonTags(Tags.of("app", "test")).build();
  }

  private static OutboundSms sms() {
    return OutboundSms.builder().to("+14155550100").from(BUSINESS).body("hello").build();
  }

  private static SendReceipt receipt(String id, int parts) {
    return new SendReceipt(id, "smpp", List.of("p-" + id), parts, Instant.EPOCH, Map.of());
  }

  @Test
  @DisplayName("a sent message counts messages and parts per provider and business number, and times the send")
  void sentMessage() {
    metrics.onAccepted("m1", sms());
    clock.add(Duration.ofMillis(40));
    metrics.onSent(receipt("m1", 3));

    assertThat(registry.get("sms.messages.accepted").counter().count()).isEqualTo(1);
    assertThat(registry.get("sms.messages.sent").tag("provider", "smpp").tag("business", BUSINESS).tag("app", "test")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("sms.parts.sent").tag("provider", "smpp").counter().count()).isEqualTo(3);
    assertThat(registry.get("sms.send.latency").tag("provider", "smpp").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(40);
  }

  @Test
  @DisplayName("failures are counted by provider, category and provider code; unknown outcomes are told apart")
  void failures() {
    metrics.onAccepted("m1", sms());
    metrics.onFailed("m1", new SmsRejectedException("invalid destination", "twilio", "21211"));
    metrics.onAccepted("m2", sms());
    metrics.onFailed("m2", new SmsTransportException("timeout", "smpp", null, true, null));

    assertThat(registry.get("sms.send.failures").tag("provider", "twilio").tag("category", "rejected")
        .tag("code", "21211").counter().count()).isEqualTo(1);
    assertThat(registry.get("sms.send.failures").tag("provider", "smpp").tag("category", "transport-unknown-outcome")
        .tag("code", "none").counter().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("delivery reports are counted by status, and the final one times receipt-to-delivery")
  void deliveryReports() {
    metrics.onAccepted("m1", sms());
    metrics.onSent(receipt("m1", 1));
    clock.add(Duration.ofSeconds(3));
    DeliveryReport sentReport = DeliveryReport.builder().provider("smpp").providerMessageId("p-m1").messageId("m1")
        .status(DeliveryStatus.SENT).occurredAt(Instant.EPOCH).build();
    metrics.onDeliveryReport(sentReport, DeliveryStatus.SENT);
    clock.add(Duration.ofSeconds(2));
    metrics.onDeliveryReport(sentReport.toBuilder().status(DeliveryStatus.DELIVERED).build(), DeliveryStatus.DELIVERED);

    assertThat(registry.get("sms.delivery.reports").tag("status", "SENT").counter().count()).isEqualTo(1);
    assertThat(registry.get("sms.delivery.reports").tag("status", "DELIVERED").counter().count()).isEqualTo(1);
    assertThat(registry.get("sms.delivery.latency").tag("status", "DELIVERED").timer().totalTime(TimeUnit.SECONDS))
        .isEqualTo(5);
  }

  @Test
  @DisplayName("provider state drives a connected gauge and counts reconnects, not first connects")
  void providerState() {
    metrics.onProviderState("smpp", ProviderState.CONNECTING, "binding");
    assertThat(registry.get("sms.provider.connected").tag("provider", "smpp").gauge().value()).isZero();
    metrics.onProviderState("smpp", ProviderState.CONNECTED, "bound");
    assertThat(registry.get("sms.provider.connected").tag("provider", "smpp").gauge().value()).isEqualTo(1);
    assertThat(registry.find("sms.provider.reconnects").counter()).isNull();
    metrics.onProviderState("smpp", ProviderState.DISCONNECTED, "link lost");
    assertThat(registry.get("sms.provider.connected").tag("provider", "smpp").gauge().value()).isZero();
    metrics.onProviderState("smpp", ProviderState.CONNECTED, "bound");
    assertThat(registry.get("sms.provider.reconnects").tag("provider", "smpp").counter().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("inbound is counted per provider and business number, never per customer number")
  void inbound() {
    InboundSms in = InboundSms.builder().provider("smpp").providerMessageId("x").from(PhoneNumber.of("+14155550100"))
        .to(Originator.longCode(PhoneNumber.of(BUSINESS))).body("hi").receivedAt(Instant.EPOCH).build();
    metrics.onInbound(in);
    metrics.onInbound(in);
    assertThat(registry.get("sms.inbound").tag("business", BUSINESS).counter().count()).isEqualTo(2);
    assertThat(registry.getMeters()).allSatisfy(m ->
        assertThat(m.getId().getTags()).noneMatch(t -> t.getValue().contains("4155550100")));
  }

  @Test
  @DisplayName("throttle waits are timed per provider")
  void throttle() {
    metrics.onThrottled("smpp", Duration.ofMillis(250));
    assertThat(registry.get("sms.throttle.wait").tag("provider", "smpp").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(250);
  }

  @Test
  @DisplayName("latency tracking is bounded: beyond maxTracked nothing is remembered and the overflow is counted")
  void bounded() {
    SimpleMeterRegistry own = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    SmsGatewayMetrics small = SmsGatewayMetrics.builder(own).maxTracked(1).build();
    small.onAccepted("a", sms());
    small.onAccepted("b", sms());
    assertThat(own.get("sms.metrics.untracked").counter().count()).isEqualTo(1);
    small.onSent(receipt("b", 1));
    assertThat(own.get("sms.messages.sent").tag("business", "unknown").counter().count()).isEqualTo(1);
    assertThat(own.find("sms.send.latency").timer()).isNull();
  }
}
