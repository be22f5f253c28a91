package dev.smsgateway.eum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.test.SmsProviderCompatibilityKit;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import software.amazon.awssdk.services.pinpoint.PinpointAsyncClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

/**
 * The provider compatibility kit for mode EUM_SNS: sends go through the real SDK to a loopback server (asserting the
 * wire format is left to {@link EumSmsProviderTest}); inbound messages and delivery events arrive as genuinely signed
 * SNS notifications posted over HTTP to the {@link SnsWebhookHandler} on the JDK's HTTP server.
 */
@DisplayName("EumSmsProvider (EUM_SNS) compatibility")
class EumSmsProviderCompatibilityTest extends SmsProviderCompatibilityKit {

  static final ObjectMapper JSON = new ObjectMapper();
  static final TestCa CA = TestCa.create("kit root", Instant.now().minus(Duration.ofDays(1)),
      Instant.now().plus(Duration.ofDays(30)));
  static final TestCa.Signer SIGNER = CA.issue("sns.amazonaws.com", Instant.now().minus(Duration.ofDays(1)),
      Instant.now().plus(Duration.ofDays(30)));
  static final AtomicLong IDS = new AtomicLong();

  static LoopbackHttpServer aws;
  static PinpointSmsVoiceV2AsyncClient smsVoice;
  static PinpointAsyncClient pinpoint;
  static HttpClient http;

  HttpServer webhookServer;
  SnsTestMessages sns = new SnsTestMessages(SIGNER);

  @BeforeAll
  static void startAws() throws Exception {
    aws = new LoopbackHttpServer(EumSmsProviderCompatibilityTest::answer);
    smsVoice = TestSupport.smsVoice(aws.uri(), Duration.ofSeconds(5));
    pinpoint = TestSupport.pinpoint(aws.uri(), Duration.ofSeconds(5));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stopAws() {
    smsVoice.close();
    pinpoint.close();
    aws.close();
  }

  /** AWS answering every send with a fresh message id, in the format of the API that was called. */
  static LoopbackHttpServer.Reply answer(LoopbackHttpServer.Recorded r) {
    String id = "aws-" + IDS.incrementAndGet();
    if (r.path().startsWith("/v1/apps/")) {
      try {
        String address = JSON.readTree(r.body()).get("Addresses").fieldNames().next();
        return LoopbackHttpServer.Reply.restJson(200, "{\"ApplicationId\":\"app-kit\",\"RequestId\":\"req-" + id
            + "\",\"Result\":{\"" + address + "\":{\"DeliveryStatus\":\"SUCCESSFUL\",\"StatusCode\":200,"
            + "\"MessageId\":\"" + id + "\"}}}");
      } catch (Exception e) {
        return LoopbackHttpServer.Reply.restJson(400, "{\"Message\":\"bad request\"}");
      }
    }
    return LoopbackHttpServer.Reply.json(200, "{\"MessageId\":\"" + id + "\"}");
  }

  /** The provider under test; the Pinpoint subclass overrides it. */
  EumSmsProvider.Builder providerBuilder() {
    return EumSmsProvider.builder().name("eum-kit").mode(EumMode.EUM_SNS).smsVoiceClient(smsVoice);
  }

  @Override
  protected SmsProvider createProvider(ProviderListener listener) throws Exception {
    aws.clear();
    aws.respond(EumSmsProviderCompatibilityTest::answer);
    EumSmsProvider provider = providerBuilder().build();
    SnsWebhookHandler handler = SnsWebhookHandler.builder(provider)
        .allowTopicArns(List.of(SnsTestMessages.TOPIC))
        .certificateFetcher(new TestSupport.CountingFetcher(Map.of(SnsTestMessages.CERT_URL, SIGNER.pem())))
        .trustAnchors(Set.of(CA.anchor()))
        .build();
    webhookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhookServer.createContext("/sns", handler.httpHandler());
    webhookServer.start();
    provider.start(listener);
    return provider;
  }

  @Override
  protected void closePeer() {
    if (webhookServer != null) {
      webhookServer.stop(0);
    }
  }

  private void postToWebhook(String message) throws Exception {
    String body = sns.sign(SnsTestMessages.notification(SnsTestMessages.TOPIC, message, Instant.now()));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + webhookServer.getAddress().getPort() + "/sns"))
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("x-amz-sns-message-type", "Notification")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("webhook answered " + response.statusCode() + ": " + response.body());
    }
  }

  @Override
  protected void peerSendsInbound(PhoneNumber from, Originator to, String text) throws Exception {
    postToWebhook(SnsTestMessages.twoWay(from.e164(), to.address(), text, UUID.randomUUID().toString()));
  }

  @Override
  protected void peerSendsReport(SendReceipt receipt, DeliveryStatus status) throws Exception {
    String eventType = switch (status) {
      case DELIVERED -> "TEXT_DELIVERED";
      case SENT -> "TEXT_SUCCESSFUL";
      case ACCEPTED -> "TEXT_QUEUED";
      case EXPIRED -> "TEXT_TTL_EXPIRED";
      case REJECTED -> "TEXT_BLOCKED";
      case FAILED -> "TEXT_UNREACHABLE";
      case UNKNOWN -> "TEXT_UNKNOWN";
    };
    postToWebhook(SnsTestMessages.textEvent(eventType, receipt.providerMessageId(), receipt.messageId(), true,
        Instant.now().toEpochMilli()));
  }

  @Override
  protected List<PeerSubmission> peerReceived() throws Exception {
    List<PeerSubmission> out = new ArrayList<>();
    for (LoopbackHttpServer.Recorded r : aws.requests()) {
      JsonNode body = JSON.readTree(r.body());
      if ("PinpointSMSVoiceV2.SendTextMessage".equals(r.header("X-Amz-Target"))) {
        out.add(new PeerSubmission(body.get("DestinationPhoneNumber").asText(), body.get("MessageBody").asText()));
      } else if (r.path().endsWith("/messages")) {
        Iterator<String> addresses = body.get("Addresses").fieldNames();
        String text = body.get("MessageConfiguration").get("SMSMessage").get("Body").asText();
        addresses.forEachRemaining(a -> out.add(new PeerSubmission(a, text)));
      }
    }
    return out;
  }

  @Override
  protected boolean peerStopsAnswering() {
    aws.respond(r -> LoopbackHttpServer.Reply.hang());
    return true;
  }

  @Override
  protected boolean peerSeesParts() {
    return false;
  }
}
