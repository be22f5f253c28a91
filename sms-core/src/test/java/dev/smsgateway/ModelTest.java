package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Presence checks, null handling and log-safe toString of the message model. */
class ModelTest {

  @Test
  @DisplayName("OutboundSms requires to and body, names the field, and never prints the body or the number")
  void outbound() {
    assertThatThrownBy(() -> OutboundSms.builder().body("x").build()).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("to"));
    assertThatThrownBy(() -> OutboundSms.builder().to(" ").body("x").build()).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.getMessage()).isEqualTo("to is blank"));
    assertThatThrownBy(() -> OutboundSms.builder().to("+14155550100").build()).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("body"));
    assertThatThrownBy(() -> OutboundSms.builder().to("+14155550100").body("").build())
        .isInstanceOf(SmsValidationException.class).hasMessage("body is empty");
    assertThatThrownBy(() -> OutboundSms.builder().to("+14155550100").body("x").validity(Duration.ZERO).build())
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("validity"));
    assertThatThrownBy(() -> OutboundSms.builder().to("+14155550100").body("x").idempotencyKey(" ").build())
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("idempotencyKey"));
    assertThatThrownBy(() -> OutboundSms.builder().to((PhoneNumber) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("to == null");
    OutboundSms sms = OutboundSms.builder().to("+14155550100").body("secret 1234").build();
    assertThat(sms.toString()).doesNotContain("secret").doesNotContain("14155550100");
    assertThat(sms.toBuilder().build().body()).isEqualTo("secret 1234");
  }

  @Test
  @DisplayName("OutboundSms takes a caller's message id and refuses a blank, over-long or control-character one")
  void outboundMessageId() {
    OutboundSms.Builder b = OutboundSms.builder().to("+14155550100").body("x");
    assertThat(b.build().messageId()).isEmpty();
    String longest = "m".repeat(OutboundSms.MAX_MESSAGE_ID_LENGTH);
    assertThat(b.messageId(longest).build().messageId()).contains(longest);
    assertThat(b.messageId("agent-7f3a").build().toBuilder().build().messageId()).contains("agent-7f3a");
    for (String bad : new String[] {"", "  ", longest + "m", "id\n1", "id\u00071", "id\u00851"}) {
      assertThatThrownBy(() -> OutboundSms.builder().to("+14155550100").body("x").messageId(bad).build())
          .as("'%s'", bad).isInstanceOfSatisfying(SmsValidationException.class,
              e -> assertThat(e.field()).isEqualTo("messageId"));
    }
    assertThatThrownBy(() -> OutboundSms.builder().to("+14155550100").body("x").messageId("a\tb").build())
        .hasMessage("messageId contains a control character at index 1");
  }

  @Test
  @DisplayName("SubmitRequest and InboundSms name missing fields and hide bodies and numbers")
  void submitAndInbound() {
    assertThatThrownBy(() -> SubmitRequest.builder().to(PhoneNumber.of("+14155550100")).body("x").build())
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("messageId"));
    SubmitRequest r = SubmitRequest.builder().messageId("m1").to(PhoneNumber.of("+14155550100")).body("secret")
        .build();
    assertThat(r.plan().partCount()).isEqualTo(1);
    assertThat(r.toString()).doesNotContain("secret").doesNotContain("14155550100");
    assertThatThrownBy(() -> InboundSms.builder().provider("p").providerMessageId("1")
        .from(PhoneNumber.of("+14155550100")).receivedAt(Instant.EPOCH).build())
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("to"));
  }

  @Test
  @DisplayName("InboundSms keeps copies of media and attributes; without them both are empty and unmodifiable")
  void inboundCopies() {
    java.util.List<java.net.URI> media = new java.util.ArrayList<>(java.util.List.of(java.net.URI.create("https://m/1")));
    java.util.Map<String, String> attributes = new java.util.HashMap<>(java.util.Map.of("k", "v"));
    InboundSms.Builder b = InboundSms.builder().provider("p").providerMessageId("1")
        .from(PhoneNumber.of("+14155550100")).to(Originator.longCode(PhoneNumber.of("+14155550199")))
        .receivedAt(Instant.EPOCH);
    InboundSms with = b.mediaUrls(media).attributes(attributes).build();
    media.clear();
    attributes.clear();
    assertThat(with.mediaUrls()).containsExactly(java.net.URI.create("https://m/1"));
    assertThat(with.attributes()).containsExactly(java.util.Map.entry("k", "v"));
    InboundSms without = InboundSms.builder().provider("p").providerMessageId("2")
        .from(PhoneNumber.of("+14155550100")).to(Originator.longCode(PhoneNumber.of("+14155550199")))
        .receivedAt(Instant.EPOCH).build();
    assertThat(without.mediaUrls()).isEmpty();
    assertThat(without.attributes()).isEmpty();
    assertThatThrownBy(() -> without.mediaUrls().add(java.net.URI.create("https://m/2")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> without.attributes().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("DeliveryReport needs a provider id or our id; statuses only move forward")
  void reports() {
    assertThatThrownBy(() -> DeliveryReport.builder().provider("p").status(DeliveryStatus.DELIVERED)
        .occurredAt(Instant.EPOCH).build()).isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("providerMessageId"));
    assertThat(DeliveryStatus.ACCEPTED.canMoveTo(DeliveryStatus.DELIVERED)).isTrue();
    assertThat(DeliveryStatus.DELIVERED.canMoveTo(DeliveryStatus.FAILED)).isFalse();
    assertThat(DeliveryStatus.SENT.canMoveTo(DeliveryStatus.ACCEPTED)).isFalse();
  }

  @Test
  @DisplayName("errors: categories are retryable or not, and only transport errors may be possibly delivered")
  void errors() {
    PhoneNumber n = PhoneNumber.of("+14155550100");
    assertThat(new SmsValidationException("to", "is blank").retryable()).isFalse();
    assertThat(new SmsRejectedException("no", "p", "21211").retryable()).isFalse();
    assertThat(new SmsOptedOutException(n).retryable()).isFalse();
    assertThat(new SmsOptedOutException(n).getMessage()).doesNotContain("14155550100");
    assertThat(new SmsThrottledException("slow", "p", "0x58", null).retryable()).isTrue();
    assertThat(new SmsTransportException("t", "p", null, true, null).possiblyDelivered()).isTrue();
    assertThat(new SmsTransportException("t", "p", null, false, null).possiblyDelivered()).isFalse();
    assertThat(new SmsRejectedException("no", "p", "21211").providerCode()).contains("21211");
  }

  @Test
  @DisplayName("RetryPolicy: backoff doubles up to the cap and never overflows")
  void retryPolicy() {
    RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(30), false);
    assertThat(p.backoffCeiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.backoffCeiling(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.backoffCeiling(8)).isEqualTo(Duration.ofMillis(25_600));
    assertThat(p.backoffCeiling(9)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.backoffCeiling(1000)).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, false))
        .isInstanceOf(SmsValidationException.class);
  }
}
