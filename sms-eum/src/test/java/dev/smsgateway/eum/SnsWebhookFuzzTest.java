package dev.smsgateway.eum;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.test.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

/**
 * Jazzer fuzz targets (X3) for the SNS endpoint: envelope parsing, the signature verifier, and the event parsing
 * behind a valid signature. A normal build replays the committed inputs under
 * {@code src/test/resources/dev/smsgateway/eum/SnsWebhookFuzzTestInputs/<method>/}; fuzz one for longer with
 * {@code JAZZER_FUZZ=1 mvn -pl sms-eum test -Dtest=SnsWebhookFuzzTest#signedNotification} (see docs/fuzzing.md).
 */
class SnsWebhookFuzzTest {

  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final TestCa CA = TestCa.create("fuzz root", START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(30)));
  static final TestCa.Signer SIGNER = CA.issue("sns.amazonaws.com", START.minus(Duration.ofDays(1)),
      START.plus(Duration.ofDays(30)));
  static final SnsTestMessages MESSAGES = new SnsTestMessages(SIGNER);
  static final String[] TYPES = {"Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation", "Other"};
  static final String[] EVENTS = {"TEXT_DELIVERED", "TEXT_SUCCESSFUL", "TEXT_PENDING", "TEXT_QUEUED",
      "TEXT_BLOCKED", "TEXT_CARRIER_UNREACHABLE", "TEXT_TTL_EXPIRED", "TEXT_UNKNOWN", "VOICE_ANSWERED", ""};

  // No AWS call is made by the handler for notifications; the client only has to exist for the provider.
  static final PinpointSmsVoiceV2AsyncClient SMS_VOICE =
      TestSupport.smsVoice(URI.create("http://127.0.0.1:9"), Duration.ofSeconds(1));
  static final EumSmsProvider PROVIDER = EumSmsProvider.builder().name("fuzz").smsVoiceClient(SMS_VOICE).build();
  static final TestSupport.RecordingListener LISTENER = new TestSupport.RecordingListener();
  static final SnsWebhookHandler HANDLER;

  static {
    PROVIDER.start(LISTENER);
    HANDLER = SnsWebhookHandler.builder(PROVIDER)
        .allowTopicArns(List.of(SnsTestMessages.TOPIC))
        .certificateFetcher(new TestSupport.CountingFetcher(Map.of(SnsTestMessages.CERT_URL, SIGNER.pem())))
        .trustAnchors(Set.of(CA.anchor()))
        .clock(new MutableClock(START))
        .build();
  }

  @AfterAll
  static void close() {
    PROVIDER.close();
    SMS_VOICE.close();
  }

  /** Random method, headers and body: always a 4xx answer, never an exception and never a 5xx. */
  @FuzzTest(maxDuration = "30s")
  void rawRequest(FuzzedDataProvider data) {
    String method = data.consumeBoolean() ? "POST" : data.consumeString(8);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      String name = data.pickValue(new String[] {"Content-Length", "x-amz-sns-message-type", "Content-Type",
          "x-amz-sns-topic-arn", data.consumeString(20)});
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(data.consumeString(40));
    }
    byte[] body = data.consumeRemainingAsBytes();

    WebhookResponse response = HANDLER.handle(method, URI.create("https://example.test/sns"), headers,
        new ByteArrayInputStream(body));

    assertThat(response.status()).as("answer %s", response).isBetween(400, 499);
  }

  /**
   * A correctly signed envelope with fuzzed type, timestamp and Message (a two-way SMS, an SMS event, or raw text):
   * never a 5xx (the listener never fails here), and a 200 for a notification hands over at most one item.
   */
  @FuzzTest(maxDuration = "30s")
  void signedNotification(FuzzedDataProvider data) {
    String type = data.pickValue(TYPES);
    boolean goodTime = data.consumeBoolean();
    int shape = data.consumeInt(0, 2);
    String message = switch (shape) {
      case 0 -> {
        ObjectNode n = SnsTestMessages.JSON.createObjectNode();
        n.put("originationNumber", data.consumeString(24));
        n.put("destinationNumber", data.consumeString(24));
        n.put("messageBody", data.consumeString(200));
        n.put("inboundMessageId", data.consumeString(40));
        if (data.consumeBoolean()) {
          n.put("messageKeyword", data.consumeString(20));
        }
        yield n.toString();
      }
      case 1 -> {
        ObjectNode n = SnsTestMessages.JSON.createObjectNode();
        n.put("eventType", data.pickValue(EVENTS));
        n.put("messageId", data.consumeString(40));
        if (data.consumeBoolean()) {
          n.put("eventTimestamp", data.consumeLong());
        } else {
          n.put("eventTimestamp", data.consumeString(20));
        }
        n.put("isFinal", data.consumeBoolean());
        n.put("messageStatus", data.consumeString(20));
        if (data.consumeBoolean()) {
          n.putObject("context").put(EumErrors.CONTEXT_MESSAGE_ID, data.consumeString(40));
        }
        yield n.toString();
      }
      default -> data.consumeRemainingAsString();
    };
    String timestamp = goodTime ? SnsTestMessages.SNS_TIME.format(START) : data.consumeString(30);
    Map<String, String> fields = "SubscriptionConfirmation".equals(type)
        ? SnsTestMessages.subscriptionConfirmation(SnsTestMessages.TOPIC, START)
        : SnsTestMessages.notification(SnsTestMessages.TOPIC, message, START);
    fields.put("Type", type);
    fields.put("Timestamp", timestamp);
    LISTENER.inbound.clear();
    LISTENER.reports.clear();

    WebhookResponse response = TestSupport.post(HANDLER, MESSAGES.sign(fields));

    assertThat(response.status()).as("answer %s", response).isLessThan(500);
    int handed = LISTENER.inbound.size() + LISTENER.reports.size();
    assertThat(handed).isLessThanOrEqualTo(response.status() == 200 ? 1 : 0);
  }
}
