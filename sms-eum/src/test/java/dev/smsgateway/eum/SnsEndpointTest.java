package dev.smsgateway.eum;

import static dev.smsgateway.eum.SnsTestMessages.CERT_URL;
import static dev.smsgateway.eum.SnsTestMessages.OTHER_TOPIC;
import static dev.smsgateway.eum.SnsTestMessages.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.test.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SnsEndpoint (the SNS subscription endpoint sms-connect and sms-email hand their notifications from)")
class SnsEndpointTest {

  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final TestCa CA = TestCa.create("endpoint test root", START.minus(Duration.ofDays(30)),
      START.plus(Duration.ofDays(3650)));
  static final TestCa.Signer SIGNER = CA.issue("sns.amazonaws.com", START.minus(Duration.ofDays(1)),
      START.plus(Duration.ofDays(365)));

  final SnsTestMessages messages = new SnsTestMessages(SIGNER);
  final List<SnsMessage> notified = new CopyOnWriteArrayList<>();
  SnsEndpoint endpoint;

  @BeforeEach
  void setUp() {
    SnsMessageVerifier verifier = SnsMessageVerifier.builder().allowTopicArns(List.of(TOPIC))
        .certificateFetcher(new TestSupport.CountingFetcher(Map.of(CERT_URL, SIGNER.pem())))
        .trustAnchors(Set.of(CA.anchor())).clock(new MutableClock(START)).build();
    endpoint = SnsEndpoint.builder("test event").verifier(verifier).maxBodyBytes(4096).notifications(m -> {
      notified.add(m);
      if (m.message().contains("boom")) {
        throw new IllegalStateException("a bug in the callback");
      }
      return new WebhookResponse(m.message().contains("later") ? 503 : 200, Map.of(), "seen " + m.messageId());
    }).build();
  }

  private WebhookResponse post(String body) {
    return endpoint.handle("POST", new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("a verified Notification goes to the callback, whose answer (200 or 503) is SNS's")
  void notification() {
    Map<String, String> fields = SnsTestMessages.notification(TOPIC, "{\"ContactId\":\"c-1\"}", START);
    WebhookResponse r = post(messages.sign(fields));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("seen " + fields.get("MessageId"));
    assertThat(notified).singleElement().satisfies(m -> assertThat(m.message()).isEqualTo("{\"ContactId\":\"c-1\"}"));
    assertThat(post(messages.sign(SnsTestMessages.notification(TOPIC, "later", START))).status()).isEqualTo(503);
  }

  @Test
  @DisplayName("refused before the callback: another method 405, a larger body 413, another topic 403, bad JSON 400")
  void refused() {
    assertThat(endpoint.handle("GET", new ByteArrayInputStream(new byte[0])).status()).isEqualTo(405);
    assertThat(post("{\"a\":\"" + "x".repeat(5000) + "\"}").status()).isEqualTo(413);
    assertThat(post(messages.sign(SnsTestMessages.notification(OTHER_TOPIC, "{}", START))).status()).isEqualTo(403);
    assertThat(post("not json").status()).isEqualTo(400);
    Map<String, String> tampered = SnsTestMessages.notification(TOPIC, "{}", START);
    String body = messages.sign(tampered).replace("\"Message\":\"{}\"", "\"Message\":\"{ }\"");
    assertThat(post(body).status()).isEqualTo(403);
    assertThat(notified).isEmpty();
  }

  @Test
  @DisplayName("a SubscriptionConfirmation without an SNS client is answered 200 and not handed to the callback;"
      + " an UnsubscribeConfirmation too")
  void confirmations() {
    WebhookResponse r = post(messages.sign(SnsTestMessages.subscriptionConfirmation(TOPIC, START)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("not confirmed: no SNS client");
    Map<String, String> unsubscribe = SnsTestMessages.subscriptionConfirmation(TOPIC, START);
    unsubscribe.put("Type", "UnsubscribeConfirmation");
    assertThat(post(messages.sign(unsubscribe)).status()).isEqualTo(200);
    assertThat(notified).isEmpty();
  }

  @Test
  @DisplayName("a callback that throws is answered 500 (SNS delivers again), not thrown to the web server")
  void callbackBug() {
    assertThat(post(messages.sign(SnsTestMessages.notification(TOPIC, "boom", START))).status()).isEqualTo(500);
    assertThat(notified).hasSize(1);
  }
}
