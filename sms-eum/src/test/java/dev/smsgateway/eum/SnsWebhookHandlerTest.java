package dev.smsgateway.eum;

import static dev.smsgateway.eum.SnsTestMessages.CERT_URL;
import static dev.smsgateway.eum.SnsTestMessages.OTHER_TOPIC;
import static dev.smsgateway.eum.SnsTestMessages.TOPIC;
import static dev.smsgateway.eum.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.test.MutableClock;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * The SNS webhook handler against SNS messages signed here, by a test certificate authority's signing certificate.
 *
 * <p>Longer than the ~600 lines a file should hold (about 810): one nested class per concern (Connect mode,
 * notifications, subscriptions, signatures, replays, under a gateway) over the same signer, certificate fetcher
 * and clock set up here; the signature cases alone are about 300 lines of distinct refusals.
 */
@DisplayName("SNS webhook handler")
class SnsWebhookHandlerTest {

  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final String EVENTS_TOPIC = "arn:aws:sns:us-east-1:123456789012:sms-events";
  static final TestCa CA = TestCa.create("sms-gateway test root", START.minus(Duration.ofDays(30)),
      START.plus(Duration.ofDays(3650)));
  static final TestCa.Signer SIGNER = CA.issue("sns.amazonaws.com", START.minus(Duration.ofDays(1)),
      START.plus(Duration.ofDays(365)));

  static final LoopbackHttpServer.Reply CONFIRMED = new LoopbackHttpServer.Reply(200, "text/xml",
      "<ConfirmSubscriptionResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ConfirmSubscriptionResult>"
          + "<SubscriptionArn>" + TOPIC + ":0f1e2d3c</SubscriptionArn></ConfirmSubscriptionResult><ResponseMetadata>"
          + "<RequestId>r-1</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>", Map.of());

  // SDK clients are shared: closing one waits out Netty's 2 s quiet period.
  static LoopbackHttpServer aws;
  static PinpointSmsVoiceV2AsyncClient smsVoice;
  static SnsAsyncClient sns;

  MutableClock clock;
  EumSmsProvider provider;
  TestSupport.RecordingListener listener;
  TestSupport.CountingFetcher fetcher;
  SnsTestMessages messages;

  @BeforeAll
  static void startAws() throws Exception {
    aws = new LoopbackHttpServer(r -> CONFIRMED);
    smsVoice = TestSupport.smsVoice(aws.uri(), Duration.ofSeconds(5));
    sns = TestSupport.sns(aws.uri());
  }

  @AfterAll
  static void stopAws() {
    smsVoice.close();
    sns.close();
    aws.close();
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(START);
    aws.clear();
    aws.respond(r -> CONFIRMED);
    provider = EumSmsProvider.builder().name("aws").smsVoiceClient(smsVoice).build();
    listener = new TestSupport.RecordingListener();
    provider.start(listener);
    fetcher = new TestSupport.CountingFetcher(Map.of(CERT_URL, SIGNER.pem()));
    messages = new SnsTestMessages(SIGNER);
  }

  @AfterEach
  void tearDown() {
    provider.close();
  }

  SnsWebhookHandler.Builder handlerBuilder() {
    return SnsWebhookHandler.builder(provider)
        .allowTopicArns(List.of(TOPIC, "arn:aws:sns:us-east-1:123456789012:sms-events"))
        .snsClient(sns)
        .certificateFetcher(fetcher)
        .trustAnchors(Set.of(CA.anchor()))
        .clock(clock);
  }

  String inboundMessage(String inboundId) {
    return SnsTestMessages.twoWay("+14255550182", "+12125550101", "Yes, 7pm works", inboundId);
  }

  @Nested
  @DisplayName("mode EUM_CONNECT")
  class ConnectMode {

    @Test
    @DisplayName("a two-way SMS on SNS is refused (409, never routed); delivery events are still taken")
    void inboundRefusedReportsTaken() {
      try (EumSmsProvider connect = EumSmsProvider.builder().name("aws-connect").mode(EumMode.EUM_CONNECT)
          .smsVoiceClient(smsVoice).build()) {
        TestSupport.RecordingListener connectListener = new TestSupport.RecordingListener();
        connect.start(connectListener);
        SnsWebhookHandler handler = SnsWebhookHandler.builder(connect).allowTopicArns(List.of(TOPIC)).snsClient(sns)
            .certificateFetcher(fetcher).trustAnchors(Set.of(CA.anchor())).clock(clock).build();

        WebhookResponse inbound = post(handler, messages.sign(SnsTestMessages.notification(TOPIC,
            inboundMessage("in-connect"), clock.instant())));
        WebhookResponse report = post(handler, messages.sign(SnsTestMessages.notification(TOPIC,
            SnsTestMessages.textEvent("TEXT_DELIVERED", "aws-msg-9", "our-msg-9", true, START.toEpochMilli()),
            clock.instant())));

        assertThat(inbound.status()).isEqualTo(409);
        assertThat(inbound.body()).contains("EUM_CONNECT");
        assertThat(connectListener.inbound).isEmpty();
        assertThat(report.status()).isEqualTo(200);
        assertThat(connectListener.reports).singleElement()
            .satisfies(r -> assertThat(r.providerMessageId()).isEqualTo("aws-msg-9"));
      }
    }
  }

  @Nested
  @DisplayName("notifications")
  class Notifications {

    @Test
    @DisplayName("a two-way SMS becomes an InboundSms for the provider's listener")
    void inbound() {
      SnsWebhookHandler handler = handlerBuilder().build();
      Map<String, String> n = SnsTestMessages.notification(TOPIC, inboundMessage("in-1"), clock.instant());
      WebhookResponse response = post(handler, messages.sign(n));

      assertThat(response.status()).isEqualTo(200);
      assertThat(listener.inbound).singleElement().satisfies(sms -> {
        assertThat(sms.provider()).isEqualTo("aws");
        assertThat(sms.providerMessageId()).isEqualTo("in-1");
        assertThat(sms.from()).isEqualTo(PhoneNumber.of("+14255550182"));
        assertThat(sms.to()).isEqualTo(Originator.longCode(PhoneNumber.of("+12125550101")));
        assertThat(sms.body()).isEqualTo("Yes, 7pm works");
        assertThat(sms.receivedAt()).isEqualTo(START);
        assertThat(sms.attributes()).containsEntry("keyword", "KEYWORD_123456789012")
            .containsEntry("previousPublishedMessageId", "wJalrXUtnFEMI-prev")
            .containsEntry("snsMessageId", n.get("MessageId"));
      });
      assertThat(listener.reports).isEmpty();
    }

    @Test
    @DisplayName("a two-way SMS to a short code is read in the configured country")
    void shortCode() {
      SnsWebhookHandler handler = handlerBuilder().shortCodeCountry("US").build();
      String message = SnsTestMessages.twoWay("+14255550182", "22395", "STOP", "in-sc");
      assertThat(post(handler, messages.sign(SnsTestMessages.notification(TOPIC, message, clock.instant()))).status())
          .isEqualTo(200);
      assertThat(listener.inbound).singleElement().extracting(InboundSms::to)
          .isEqualTo(Originator.shortCode("22395", "US"));
    }

    @ParameterizedTest(name = "{0} (isFinal={1}) -> {2}")
    @CsvSource({
        "TEXT_DELIVERED, true, DELIVERED",
        "TEXT_SUCCESSFUL, true, SENT",
        "TEXT_QUEUED, false, ACCEPTED",
        "TEXT_PENDING, false, ACCEPTED",
        "TEXT_BLOCKED, true, REJECTED",
        "TEXT_CARRIER_BLOCKED, true, REJECTED",
        "TEXT_SPAM, true, REJECTED",
        "TEXT_INVALID, true, REJECTED",
        "TEXT_INVALID_MESSAGE, true, REJECTED",
        "TEXT_PROTECT_BLOCKED, true, REJECTED",
        "TEXT_TTL_EXPIRED, true, EXPIRED",
        "TEXT_UNREACHABLE, true, FAILED",
        "TEXT_CARRIER_UNREACHABLE, true, FAILED",
        "TEXT_CARRIER_UNREACHABLE, false, UNKNOWN",
        "TEXT_UNKNOWN, true, UNKNOWN",
        "TEXT_SOMETHING_NEW, true, UNKNOWN",
    })
    @DisplayName("an SMS event becomes a DeliveryReport correlated through Context and the AWS message id")
    void deliveryEvents(String eventType, boolean isFinal, DeliveryStatus expected) {
      SnsWebhookHandler handler = handlerBuilder().build();
      long at = START.minusSeconds(3).toEpochMilli();
      String event = SnsTestMessages.textEvent(eventType, "aws-msg-1", "our-msg-1", isFinal, at);
      WebhookResponse response = post(handler, messages.sign(
          SnsTestMessages.notification("arn:aws:sns:us-east-1:123456789012:sms-events", event, clock.instant())));

      assertThat(response.status()).isEqualTo(200);
      assertThat(listener.reports).singleElement().satisfies(r -> {
        assertThat(r.provider()).isEqualTo("aws");
        assertThat(r.providerMessageId()).isEqualTo("aws-msg-1");
        assertThat(r.messageId()).contains("our-msg-1");
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.rawStatus()).isEqualTo(eventType);
        assertThat(r.occurredAt()).isEqualTo(Instant.ofEpochMilli(at));
        if (expected == DeliveryStatus.DELIVERED || expected == DeliveryStatus.SENT
            || expected == DeliveryStatus.ACCEPTED) {
          assertThat(r.errorCode()).isEmpty();
        } else {
          assertThat(r.errorCode()).contains(eventType.substring(5));
        }
      });
    }

    @Test
    @DisplayName("an event without Context still correlates by the AWS message id")
    void eventWithoutContext() {
      SnsWebhookHandler handler = handlerBuilder().build();
      String event = SnsTestMessages.textEvent("TEXT_DELIVERED", "aws-msg-2", null, true, START.toEpochMilli());
      post(handler, messages.sign(SnsTestMessages.notification(TOPIC, event, clock.instant())));
      assertThat(listener.reports).singleElement().satisfies(r -> {
        assertThat(r.messageId()).isEmpty();
        assertThat(r.providerMessageId()).isEqualTo("aws-msg-2");
      });
    }

    @Test
    @DisplayName("voice events and other JSON are acknowledged and ignored")
    void otherNotifications() {
      SnsWebhookHandler handler = handlerBuilder().build();
      String voice = "{\"eventType\":\"VOICE_COMPLETED\",\"messageId\":\"v-1\"}";
      assertThat(post(handler, messages.sign(SnsTestMessages.notification(TOPIC, voice, clock.instant()))).body())
          .isEqualTo("ignored");
      assertThat(listener.inbound).isEmpty();
      assertThat(listener.reports).isEmpty();
    }

    @Test
    @DisplayName("a listener that throws gets 503, and SNS's redelivery is processed, not dropped as a duplicate")
    void listenerThrows() {
      SnsWebhookHandler handler = handlerBuilder().build();
      String body = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-x"), clock.instant()));
      listener.failuresToInject.set(1);

      assertThat(post(handler, body).status()).isEqualTo(503);
      assertThat(listener.inbound).isEmpty();
      assertThat(post(handler, body).status()).isEqualTo(200);
      assertThat(listener.inbound).hasSize(1);
      assertThat(post(handler, body).body()).isEqualTo("duplicate");
      assertThat(listener.inbound).hasSize(1);
    }

    @Test
    @DisplayName("a provider that is not started answers 503")
    void notStarted() {
      EumSmsProvider idle = EumSmsProvider.builder().name("idle").smsVoiceClient(smsVoice).build();
      SnsWebhookHandler handler = SnsWebhookHandler.builder(idle).allowTopicArns(List.of(TOPIC))
          .certificateFetcher(fetcher).trustAnchors(Set.of(CA.anchor())).clock(clock).build();
      String body = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-2"), clock.instant()));
      assertThat(post(handler, body).status()).isEqualTo(503);
    }

    @Test
    @DisplayName("a raw-delivery request (no signed envelope) is refused without fetching anything")
    void rawDelivery() {
      SnsWebhookHandler handler = handlerBuilder().build();
      WebhookResponse response = post(handler, inboundMessage("in-raw"));
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("raw message delivery");
      assertThat(fetcher.calls).hasValue(0);
      assertThat(listener.inbound).isEmpty();
    }

    @Test
    @DisplayName("a malformed two-way message inside a genuine envelope is refused with 400")
    void malformedInner() {
      SnsWebhookHandler handler = handlerBuilder().build();
      String message = SnsTestMessages.twoWay("not-a-number", "+12125550101", "hi", "in-bad");
      assertThat(post(handler, messages.sign(SnsTestMessages.notification(TOPIC, message, clock.instant()))).status())
          .isEqualTo(400);
      assertThat(listener.inbound).isEmpty();
    }
  }

  @Nested
  @DisplayName("subscriptions (W4: confirmed only for allow-listed topics)")
  class Subscriptions {

    @Test
    @DisplayName("an allow-listed topic is confirmed with ConfirmSubscription and AuthenticateOnUnsubscribe=true")
    void confirmsAllowListed() {
      SnsWebhookHandler handler = handlerBuilder().build();
      Map<String, String> confirmation = SnsTestMessages.subscriptionConfirmation(TOPIC, clock.instant());
      WebhookResponse response = post(handler, messages.sign(confirmation));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("confirmed");
      assertThat(aws.requests()).singleElement().satisfies(r -> {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + TestSupport.ACCESS_KEY)
            .contains("/us-east-1/sns/aws4_request");
        Map<String, String> form = form(r.body());
        assertThat(form).containsEntry("Action", "ConfirmSubscription")
            .containsEntry("TopicArn", TOPIC)
            .containsEntry("Token", confirmation.get("Token"))
            .containsEntry("AuthenticateOnUnsubscribe", "true");
      });
    }

    @Test
    @DisplayName("an unlisted topic is refused before its certificate is fetched or SNS is called")
    void unlistedTopicNeverConfirmed() {
      SnsWebhookHandler handler = handlerBuilder().build();
      for (int i = 0; i < 20; i++) {
        WebhookResponse response = post(handler,
            messages.sign(SnsTestMessages.subscriptionConfirmation(OTHER_TOPIC, clock.instant())));
        assertThat(response.status()).isEqualTo(403);
      }
      assertThat(aws.requests()).isEmpty();
      assertThat(fetcher.calls).hasValue(0);
    }

    @Test
    @DisplayName("a failing ConfirmSubscription answers 503 so that SNS can send the confirmation again")
    void confirmFails() {
      aws.respond(r -> new LoopbackHttpServer.Reply(500, "text/xml", "<ErrorResponse><Error><Type>Receiver</Type>"
          + "<Code>InternalError</Code><Message>boom</Message></Error><RequestId>r</RequestId></ErrorResponse>",
          Map.of()));
      SnsWebhookHandler handler = handlerBuilder().build();
      String body = messages.sign(SnsTestMessages.subscriptionConfirmation(TOPIC, clock.instant()));
      assertThat(post(handler, body).status()).isEqualTo(503);
      aws.respond(r -> new LoopbackHttpServer.Reply(200, "text/xml", "<ConfirmSubscriptionResponse><ConfirmSubscription"
          + "Result><SubscriptionArn>" + TOPIC + ":1</SubscriptionArn></ConfirmSubscriptionResult>"
          + "</ConfirmSubscriptionResponse>", Map.of()));
      assertThat(post(handler, body).status()).isEqualTo(200);
      assertThat(aws.requests()).hasSize(2);
    }

    @Test
    @DisplayName("an UnsubscribeConfirmation is verified, logged and acknowledged")
    void unsubscribe() {
      SnsWebhookHandler handler = handlerBuilder().build();
      Map<String, String> m = SnsTestMessages.subscriptionConfirmation(TOPIC, clock.instant());
      m.put("Type", "UnsubscribeConfirmation");
      assertThat(post(handler, messages.sign(m)).status()).isEqualTo(200);
      assertThat(aws.requests()).isEmpty();
    }

    Map<String, String> form(String body) {
      return Arrays.stream(body.split("&")).map(kv -> kv.split("=", 2)).collect(Collectors.toMap(
          kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv -> kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : ""));
    }
  }

  @Nested
  @DisplayName("W3: signatures")
  class Signatures {

    @Test
    @DisplayName("genuine v1 and v2 messages, including .000Z timestamps, are all accepted; the certificate is fetched once")
    void genuine() {
      SnsWebhookHandler handler = handlerBuilder().build();
      int accepted = 0;
      for (int i = 0; i < 200; i++) {
        // every 4th on a whole second, so that SNS writes ".000Z"
        Instant at = i % 4 == 0 ? START.minusSeconds(i) : START.minusMillis(i * 997L + 1);
        Map<String, String> n = SnsTestMessages.notification(TOPIC, inboundMessage("in-g" + i), at);
        n.put("SignatureVersion", i % 2 == 0 ? "1" : "2");
        if (i % 3 == 0) {
          n.put("Subject", "subject " + i);
        }
        if (post(handler, messages.sign(n)).status() == 200) {
          accepted++;
        }
      }
      assertThat(accepted).isEqualTo(200);
      assertThat(listener.inbound).hasSize(200);
      assertThat(fetcher.calls).hasValue(1);
      assertThat(handler.certificateFetchCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Message", "MessageId", "Timestamp", "TopicArn", "Type", "Subject added", "Subject changed",
        "Signature bit", "SignatureVersion 2->1", "SignatureVersion 3", "Signature not base64", "Signature empty",
        "Message unicode", "Token", "SubscribeURL"})
    @DisplayName("a tampered message is refused")
    void tampered(String tamper) {
      SnsWebhookHandler handler = handlerBuilder().build();
      boolean confirmation = tamper.equals("Token") || tamper.equals("SubscribeURL");
      Map<String, String> m = confirmation ? SnsTestMessages.subscriptionConfirmation(TOPIC, clock.instant())
          : SnsTestMessages.notification(TOPIC, inboundMessage("in-t"), clock.instant());
      if (tamper.equals("Subject changed")) {
        m.put("Subject", "original");
      }
      m.put("Signature", messages.signature(m));
      switch (tamper) {
        case "Message" -> m.put("Message", inboundMessage("in-t2"));
        case "MessageId" -> m.put("MessageId", m.get("MessageId") + "0");
        case "Timestamp" -> m.put("Timestamp", SnsTestMessages.SNS_TIME.format(clock.instant().minusSeconds(1)));
        case "TopicArn" -> m.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:sms-events");
        case "Type" -> m.put("Type", "SubscriptionConfirmation");
        case "Subject added" -> m.put("Subject", "added");
        case "Subject changed" -> m.put("Subject", "changed");
        case "Signature bit" -> m.put("Signature", flipBit(m.get("Signature")));
        case "SignatureVersion 2->1" -> m.put("SignatureVersion", "1");
        case "SignatureVersion 3" -> m.put("SignatureVersion", "3");
        case "Signature not base64" -> m.put("Signature", "%%%");
        case "Signature empty" -> m.put("Signature", "");
        case "Message unicode" -> m.put("Message", m.get("Message").replace("7pm", "7\u0440m"));
        case "Token" -> m.put("Token", m.get("Token") + "x");
        case "SubscribeURL" -> m.put("SubscribeURL", "https://evil.example/confirm");
        default -> throw new IllegalArgumentException(tamper);
      }
      WebhookResponse response = post(handler, SnsTestMessages.json(m));
      assertThat(response.status()).as(response.body()).isBetween(400, 499);
      assertThat(listener.inbound).isEmpty();
      assertThat(aws.requests()).isEmpty();
    }

    @Test
    @DisplayName("1,000 random one-character mutations of genuine messages are all refused or leave the content intact")
    void mutations() {
      SnsWebhookHandler handler = handlerBuilder().build();
      java.util.Random random = new java.util.Random(7);
      int refused = 0;
      int acceptedIntact = 0;
      for (int i = 0; i < 1000; i++) {
        Map<String, String> n = SnsTestMessages.notification(TOPIC, inboundMessage("in-m" + i), clock.instant());
        n.put("SignatureVersion", i % 2 == 0 ? "1" : "2");
        String genuine = messages.sign(n);
        char[] chars = genuine.toCharArray();
        int at = random.nextInt(chars.length);
        char original = chars[at];
        chars[at] = (char) (original == 'z' ? 'y' : original + 1);
        int before = listener.inbound.size();
        WebhookResponse response = post(handler, new String(chars));
        assertThat(response.status()).isNotEqualTo(500);
        if (response.status() != 200) {
          // 4xx, or 503 when a mutated but well-formed certificate URL could not be fetched
          assertThat(listener.inbound).hasSize(before);
          refused++;
        } else if (listener.inbound.size() == before + 1) {
          // Only a change outside the signed fields (UnsubscribeURL, or JSON syntax-neutral) may pass, and then
          // the delivered content must be the genuine one.
          assertThat(listener.inbound.get(before).providerMessageId()).isEqualTo("in-m" + i);
          acceptedIntact++;
        }
      }
      System.out.println("W3 mutations: refused=" + refused + " acceptedIntact=" + acceptedIntact);
      assertThat(refused + acceptedIntact).isEqualTo(1000);
      assertThat(refused).isGreaterThan(750);
    }

    @Test
    @DisplayName("a certificate from another CA, with the right name, is refused")
    void untrustedCa() {
      TestCa rogue = TestCa.create("rogue root", START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(30)));
      TestCa.Signer rogueSigner = rogue.issue("sns.amazonaws.com", START.minus(Duration.ofDays(1)),
          START.plus(Duration.ofDays(30)));
      fetcher.pems = Map.of(CERT_URL, rogueSigner.pem());
      SnsWebhookHandler handler = handlerBuilder().build();
      WebhookResponse response = post(handler, new SnsTestMessages(rogueSigner)
          .sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-r"), clock.instant())));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body()).contains("trusted anchor");
      assertThat(listener.inbound).isEmpty();
    }

    @Test
    @DisplayName("a certificate not issued to sns.amazonaws.com is refused")
    void wrongName() {
      TestCa.Signer other = CA.issue("evil.example.com", START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(30)));
      fetcher.pems = Map.of(CERT_URL, other.pem());
      SnsWebhookHandler handler = handlerBuilder().build();
      WebhookResponse response = post(handler, new SnsTestMessages(other)
          .sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-n"), clock.instant())));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body()).contains("sns.amazonaws.com");
    }

    @Test
    @DisplayName("an expired certificate is refused, by the injected clock")
    void expired() {
      TestCa.Signer shortLived = CA.issue("sns.amazonaws.com", START.minus(Duration.ofDays(10)),
          START.plus(Duration.ofHours(1)));
      fetcher.pems = Map.of(CERT_URL, shortLived.pem());
      SnsWebhookHandler handler = handlerBuilder().build();
      SnsTestMessages signer = new SnsTestMessages(shortLived);
      assertThat(post(handler, signer.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-e1"),
          clock.instant()))).status()).isEqualTo(200);
      clock.advance(Duration.ofHours(2));
      WebhookResponse response = post(handler, signer.sign(SnsTestMessages.notification(TOPIC,
          inboundMessage("in-e2"), clock.instant())));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body()).contains("expired");
      assertThat(listener.inbound).hasSize(1);
    }

    @Test
    @DisplayName("a redelivery of a verified message is answered without a second RSA verification")
    void redeliveryNotVerifiedTwice() {
      SnsWebhookHandler handler = handlerBuilder().build();
      String body = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-d"), clock.instant()));
      assertThat(post(handler, body).status()).isEqualTo(200);
      WebhookResponse again = post(handler, body);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body()).isEqualTo("duplicate");
      assertThat(handler.rsaVerificationCount()).isEqualTo(1);
      assertThat(listener.inbound).hasSize(1);
    }

    @Test
    @DisplayName("each thread's kept verifiers: v1 and v2 messages on 4 threads, every third one refused (a flipped"
        + " bit, a signature of the wrong length, the other version's signature), each decided as if alone")
    void keptVerifiersAcrossThreadsAndFailures() throws Exception {
      SnsWebhookHandler handler = handlerBuilder().build();
      List<Callable<Boolean>> calls = new ArrayList<>();
      int genuine = 0;
      for (int i = 0; i < 240; i++) {
        Map<String, String> n = SnsTestMessages.notification(TOPIC, inboundMessage("in-k" + i), clock.instant());
        n.put("SignatureVersion", i % 2 == 0 ? "1" : "2");
        n.put("Signature", messages.signature(n));
        boolean refused = i % 3 == 1;
        if (refused) {
          switch (i % 9) {
            case 1 -> n.put("Signature", flipBit(n.get("Signature")));
            case 4 -> n.put("Signature", java.util.Base64.getEncoder().encodeToString(new byte[17]));
            default -> n.put("SignatureVersion", i % 2 == 0 ? "2" : "1");
          }
        } else {
          genuine++;
        }
        String body = SnsTestMessages.json(n);
        calls.add(() -> post(handler, body).status() == (refused ? 403 : 200));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (Future<Boolean> f : pool.invokeAll(calls)) {
          assertThat(f.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(listener.inbound).hasSize(genuine);
      assertThat(handler.rsaVerificationCount()).isGreaterThanOrEqualTo(genuine);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Message", "MessageId", "Timestamp", "Subject added", "SignatureVersion 2->1"})
    @DisplayName("a verified signature reused on a message with a signed field changed is refused")
    void verifiedSignatureReused(String tamper) {
      SnsWebhookHandler handler = handlerBuilder().build();
      Map<String, String> n = SnsTestMessages.notification(TOPIC, inboundMessage("in-v"), clock.instant());
      n.put("Signature", messages.signature(n));
      assertThat(post(handler, SnsTestMessages.json(n)).status()).isEqualTo(200);
      switch (tamper) {
        case "Message" -> n.put("Message", inboundMessage("in-v2"));
        case "MessageId" -> n.put("MessageId", n.get("MessageId") + "0");
        case "Timestamp" -> n.put("Timestamp", SnsTestMessages.SNS_TIME.format(clock.instant().minusSeconds(1)));
        case "Subject added" -> n.put("Subject", "added");
        case "SignatureVersion 2->1" -> n.put("SignatureVersion", "1");
        default -> throw new IllegalArgumentException(tamper);
      }
      WebhookResponse response = post(handler, SnsTestMessages.json(n));
      assertThat(response.status()).as(response.body()).isEqualTo(403);
      assertThat(listener.inbound).hasSize(1);
      assertThat(handler.rsaVerificationCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("a redelivery after the cached certificate expired is refused, not answered as verified")
    void redeliveryAfterExpiry() {
      TestCa.Signer shortLived = CA.issue("sns.amazonaws.com", START.minus(Duration.ofDays(10)),
          START.plus(Duration.ofMinutes(30)));
      fetcher.pems = Map.of(CERT_URL, shortLived.pem());
      SnsWebhookHandler handler = handlerBuilder().build();
      String body = new SnsTestMessages(shortLived).sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-x"),
          clock.instant()));
      assertThat(post(handler, body).status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(31));
      WebhookResponse response = post(handler, body);
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body()).contains("expired");
    }

    @Test
    @DisplayName("a chain validated once is validated again once a certificate in it has expired")
    void chainRevalidatedAfterExpiry() {
      TestCa shortRoot = TestCa.create("short-lived root", START.minus(Duration.ofDays(1)),
          START.plus(Duration.ofMinutes(30)));
      TestCa.Signer leaf = shortRoot.issue("sns.amazonaws.com", START.minus(Duration.ofDays(1)),
          START.plus(Duration.ofDays(30)));
      fetcher.pems = Map.of(CERT_URL, leaf.pem() + TestCa.pem(shortRoot.root));
      SnsWebhookHandler handler = handlerBuilder().trustAnchors(Set.of(shortRoot.anchor())).build();
      SnsTestMessages signer = new SnsTestMessages(leaf);
      assertThat(post(handler, signer.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-c1"),
          clock.instant()))).status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(31));
      WebhookResponse response = post(handler, signer.sign(SnsTestMessages.notification(TOPIC,
          inboundMessage("in-c2"), clock.instant())));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body()).contains("trusted anchor");
    }

    @Test
    @DisplayName("a certificate that cannot be fetched answers 503 and is fetched again on SNS's retry")
    void fetchFailure() {
      fetcher.pems = Map.of();
      SnsWebhookHandler handler = handlerBuilder().build();
      String body = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-f"), clock.instant()));
      assertThat(post(handler, body).status()).isEqualTo(503);
      fetcher.pems = Map.of(CERT_URL, SIGNER.pem());
      assertThat(post(handler, body).status()).isEqualTo(200);
      assertThat(fetcher.calls).hasValue(2);
      assertThat(listener.inbound).hasSize(1);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://evil.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.us-east-1.amazonaws.com@evil.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://user:pw@sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://evil.com@sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://52.94.236.248/SimpleNotificationService-0123456789abcdef.pem",
        "https://[::1]/SimpleNotificationService-0123456789abcdef.pem",
        "https://127.0.0.1:443/SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-0123456789abcdef.pem",
        "https://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem?x=1",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem#frag",
        "https://sns.us-east-1.amazonaws.com/other/../SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.txt",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem%00.html",
        "https://sns.us-east-1.amazonaws.com/evil.pem",
        "https://sns.us-east-1.amazonaws.com\\@evil.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://sns.evil.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
        "https://snsXus-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
        "file:///etc/passwd",
        "https:///SimpleNotificationService-0123456789abcdef.pem",
        "//sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
        "",
    })
    @DisplayName("a certificate-URL attack is refused with no outbound fetch")
    void certificateUrlAttacks(String url) {
      SnsWebhookHandler handler = handlerBuilder().build();
      Map<String, String> n = SnsTestMessages.notification(TOPIC, inboundMessage("in-a"), clock.instant());
      n.put("SigningCertURL", url);
      WebhookResponse response = post(handler, messages.sign(n));
      assertThat(response.status()).isEqualTo(403);
      assertThat(fetcher.calls).hasValue(0);
      assertThat(listener.inbound).isEmpty();
    }

    String flipBit(String base64) {
      byte[] bytes = java.util.Base64.getDecoder().decode(base64);
      bytes[bytes.length / 2] ^= 0x01;
      return java.util.Base64.getEncoder().encodeToString(bytes);
    }
  }

  @Nested
  @DisplayName("W5: replays and duplicates")
  class Replays {

    @ParameterizedTest(name = "de-duplication through {0}")
    @ValueSource(strings = {"in-memory", "MessageStore"})
    @DisplayName("the same MessageId 5x concurrently is delivered once")
    void concurrentDuplicates(String backend) throws Exception {
      SnsWebhookHandler handler = builderFor(backend).build();
      String body = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-c"), clock.instant()));
      ExecutorService pool = Executors.newFixedThreadPool(5);
      try {
        List<Callable<WebhookResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          calls.add(() -> post(handler, body));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<WebhookResponse> f : pool.invokeAll(calls)) {
          statuses.add(f.get().status());
        }
        assertThat(statuses).containsOnly(200);
      } finally {
        pool.shutdownNow();
      }
      assertThat(listener.inbound).hasSize(1);
    }

    @ParameterizedTest(name = "de-duplication through {0}")
    @ValueSource(strings = {"in-memory", "MessageStore"})
    @DisplayName("the same MessageId redelivered over 50 minutes is delivered once; a 2 h old message is refused")
    void overTime(String backend) {
      SnsWebhookHandler handler = builderFor(backend).build();
      String body = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-50"), clock.instant()));
      for (int minute = 0; minute <= 50; minute += 10) {
        assertThat(post(handler, body).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(10));
      }
      assertThat(listener.inbound).hasSize(1);

      String old = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-old"),
          clock.instant().minus(Duration.ofHours(2))));
      WebhookResponse response = post(handler, old);
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("replay window");
      String future = messages.sign(SnsTestMessages.notification(TOPIC, inboundMessage("in-future"),
          clock.instant().plus(Duration.ofHours(1))));
      assertThat(post(handler, future).status()).isEqualTo(400);
      assertThat(listener.inbound).hasSize(1);
    }

    SnsWebhookHandler.Builder builderFor(String backend) {
      return backend.equals("MessageStore") ? handlerBuilder().messageStore(new InMemoryMessageStore(clock))
          : handlerBuilder();
    }
  }

  /**
   * "onSent followed by delivery reports": an SMS event (its Context carries our message id) that SNS delivers before
   * SendTextMessage's answer reaches us is announced after every listener's onSent. The real SDK sends to the
   * loopback AWS stand-in, which first hands a signed SNS notification to the provider's handler.
   */
  @Nested
  @DisplayName("SMS events under an SmsGateway")
  class UnderGateway {

    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    @DisplayName("an SMS event handled before SendTextMessage's answer reaches listeners after their onSent")
    void eventBeforeSendAnswer() throws Exception {
      EumSmsProvider eum = EumSmsProvider.builder().name("aws").smsVoiceClient(smsVoice).clock(clock).build();
      SnsWebhookHandler handler = SnsWebhookHandler.builder(eum).allowTopicArns(List.of(EVENTS_TOPIC)).snsClient(sns)
          .certificateFetcher(fetcher).trustAnchors(Set.of(CA.anchor())).clock(clock).build();
      List<Integer> snsStatus = java.util.Collections.synchronizedList(new ArrayList<>());
      aws.respond(r -> {
        String ourId;
        try {
          ourId = SnsTestMessages.JSON.readTree(r.body()).path("Context").path(EumErrors.CONTEXT_MESSAGE_ID).asText();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        // AWS has the message, and its events reach us through SNS before the API's answer does
        for (String type : List.of("TEXT_SUCCESSFUL", "TEXT_DELIVERED")) {
          String event = SnsTestMessages.textEvent(type, "aws-1", ourId, type.equals("TEXT_DELIVERED"),
              START.toEpochMilli());
          snsStatus.add(post(handler, messages.sign(SnsTestMessages.notification(EVENTS_TOPIC, event,
              clock.instant()))).status());
        }
        return LoopbackHttpServer.Reply.json(200, "{\"MessageId\":\"aws-1\"}");
      });
      try (dev.smsgateway.SmsGateway gateway = dev.smsgateway.SmsGateway.builder().provider(eum).clock(clock)
          .listener(new Recorder("first")).listener(new Recorder("second")).build()) {
        gateway.start();
        dev.smsgateway.SendReceipt receipt = gateway.send(dev.smsgateway.OutboundSms.builder().to("+14255550156")
            .body("Hi").build()).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(snsStatus).containsExactly(200, 200);
        // the held reports are announced just after the future completes, on the SDK's thread
        dev.smsgateway.test.Eventually.await("six listener events", Duration.ofSeconds(5), () -> events.size() >= 6);
        assertThat(events).containsExactly("first:sent", "second:sent", "first:report:SENT", "second:report:SENT",
            "first:report:DELIVERED", "second:report:DELIVERED");
        assertThat(gateway.status(receipt.messageId()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
      }
    }

    /** Records sent and report events, prefixed with a name. */
    final class Recorder implements dev.smsgateway.GatewayListener {
      final String name;

      Recorder(String name) {
        this.name = name;
      }

      @Override
      public void onSent(dev.smsgateway.SendReceipt receipt) {
        events.add(name + ":sent");
      }

      @Override
      public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
        events.add(name + ":report:" + merged);
      }
    }
  }

  @Test
  @DisplayName("the builder requires an allow-list")
  void requiresAllowList() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SnsWebhookHandler.builder(provider).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowTopicArns");
  }
}
