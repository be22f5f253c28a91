package dev.smsgateway.eum;

import static dev.smsgateway.eum.SnsTestMessages.CERT_URL;
import static dev.smsgateway.eum.SnsTestMessages.OTHER_TOPIC;
import static dev.smsgateway.eum.SnsTestMessages.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.test.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SnsMessageVerifier (the public seam other modules verify SNS messages with)")
class SnsMessageVerifierTest {

  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final TestCa CA = TestCa.create("verifier test root", START.minus(Duration.ofDays(30)),
      START.plus(Duration.ofDays(3650)));
  static final TestCa.Signer SIGNER = CA.issue("sns.amazonaws.com", START.minus(Duration.ofDays(1)),
      START.plus(Duration.ofDays(365)));

  MutableClock clock;
  TestSupport.CountingFetcher fetcher;
  SnsMessageVerifier verifier;
  SnsTestMessages messages = new SnsTestMessages(SIGNER);

  @BeforeEach
  void setUp() {
    clock = new MutableClock(START);
    fetcher = new TestSupport.CountingFetcher(Map.of(CERT_URL, SIGNER.pem()));
    verifier = SnsMessageVerifier.builder().allowTopicArns(List.of(TOPIC)).certificateFetcher(fetcher)
        .trustAnchors(Set.of(CA.anchor())).clock(clock).build();
  }

  @Test
  @DisplayName("a genuine body and the same message as Lambda fields both verify, with one certificate fetch")
  void genuine() throws Exception {
    Map<String, String> fields = SnsTestMessages.notification(TOPIC, "{\"hello\":1}", START);
    fields.put("Subject", "Amazon SES Email Receipt Notification");
    String body = messages.sign(fields);

    SnsMessage fromBody = verifier.verify(body.getBytes(StandardCharsets.UTF_8));
    Map<String, String> signed = new LinkedHashMap<>(fields);
    signed.put("Signature", messages.signature(fields));
    SnsMessage fromFields = verifier.verify(signed);

    assertThat(fromBody).isEqualTo(fromFields);
    assertThat(fromBody.type()).isEqualTo(SnsMessage.NOTIFICATION);
    assertThat(fromBody.message()).isEqualTo("{\"hello\":1}");
    assertThat(fromBody.subject()).isEqualTo("Amazon SES Email Receipt Notification");
    assertThat(fromBody.timestamp()).isEqualTo(START);
    assertThat(fromBody.toString()).doesNotContain("hello");
    assertThat(fetcher.calls).hasValue(1);
  }

  @Test
  @DisplayName("a tampered Message is refused with 403")
  void tampered() {
    Map<String, String> fields = SnsTestMessages.notification(TOPIC, "{\"a\":1}", START);
    fields.put("Signature", messages.signature(fields));
    fields.put("Message", "{\"a\":2}");
    assertThatThrownBy(() -> verifier.verify(fields)).isInstanceOfSatisfying(SnsVerificationException.class,
        e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("signature");
        });
  }

  @Test
  @DisplayName("a topic that is not allow-listed is refused before any certificate fetch")
  void otherTopic() {
    String body = messages.sign(SnsTestMessages.notification(OTHER_TOPIC, "{}", START));
    assertThatThrownBy(() -> verifier.verify(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(SnsVerificationException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("not allow-listed");
    assertThat(fetcher.calls).hasValue(0);
  }

  @Test
  @DisplayName("a message older than the replay window is refused with 400")
  void old() {
    String body = messages.sign(SnsTestMessages.notification(TOPIC, "{}", START));
    clock.advance(Duration.ofHours(2));
    assertThatThrownBy(() -> verifier.verify(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(SnsVerificationException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("replay window");
  }

  @Test
  @DisplayName("not JSON, and a certificate that cannot be fetched (503, retryable)")
  void badBodyAndUnfetchableCertificate() {
    assertThatThrownBy(() -> verifier.verify("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(SnsVerificationException.class, e -> assertThat(e.status()).isEqualTo(400));
    fetcher.pems = Map.of();
    String body = messages.sign(SnsTestMessages.notification(TOPIC, "{}", START));
    assertThatThrownBy(() -> verifier.verify(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(SnsVerificationException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  @DisplayName("building without a topic is refused")
  void noTopic() {
    assertThatThrownBy(() -> SnsMessageVerifier.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allowTopicArns");
  }
}
