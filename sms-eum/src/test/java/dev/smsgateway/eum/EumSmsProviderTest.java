package dev.smsgateway.eum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.MutableClock;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointAsyncClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

@DisplayName("EumSmsProvider against a loopback server receiving the SDK's real signed requests")
class EumSmsProviderTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final PhoneNumber TO = PhoneNumber.of("+14255550156");

  static LoopbackHttpServer aws;
  static PinpointSmsVoiceV2AsyncClient smsVoice;
  static PinpointAsyncClient pinpoint;

  MutableClock clock;
  ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void startAws() throws Exception {
    aws = new LoopbackHttpServer(r -> LoopbackHttpServer.Reply.json(200, "{\"MessageId\":\"aws-1\"}"));
    smsVoice = TestSupport.smsVoice(aws.uri(), Duration.ofSeconds(4));
    pinpoint = TestSupport.pinpoint(aws.uri(), Duration.ofSeconds(4));
  }

  @AfterAll
  static void stopAws() {
    smsVoice.close();
    pinpoint.close();
    aws.close();
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(NOW);
    aws.clear();
    aws.respond(r -> LoopbackHttpServer.Reply.json(200, "{\"MessageId\":\"aws-1\"}"));
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(EumSmsProvider.class)).addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(EumSmsProvider.class)).detachAppender(logs);
  }

  EumSmsProvider.Builder eum() {
    return EumSmsProvider.builder().name("aws").smsVoiceClient(smsVoice).clock(clock);
  }

  static SubmitRequest request(String id) {
    return SubmitRequest.builder().messageId(id).to(TO).body("Your table is ready").build();
  }

  static SendReceipt await(CompletableFuture<SendReceipt> f) {
    return f.orTimeout(10, TimeUnit.SECONDS).join();
  }

  static SmsException failure(CompletableFuture<SendReceipt> f) {
    try {
      f.orTimeout(10, TimeUnit.SECONDS).join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(SmsException.class);
      return (SmsException) e.getCause();
    }
    throw new AssertionError("expected the send to fail");
  }

  @Nested
  @DisplayName("EUM SendTextMessage")
  class SendText {

    @Test
    @DisplayName("sends POST / with X-Amz-Target, AWS JSON 1.0, SigV4 for sms-voice, and every configured field")
    void wire() throws Exception {
      try (EumSmsProvider provider = eum().originationIdentity("+12065550152").configurationSetName("events")
          .maxPrice(new BigDecimal("0.05")).dryRun(true).messageFeedbackEnabled(true)
          .protectConfigurationId("protect-1").messageType(EumSmsProvider.MessageType.PROMOTIONAL).build()) {
        SubmitRequest request = request("our-1").toBuilder().validity(Duration.ofMinutes(10)).build();
        SendReceipt receipt = await(provider.send(request));

        assertThat(receipt.messageId()).isEqualTo("our-1");
        assertThat(receipt.provider()).isEqualTo("aws");
        assertThat(receipt.providerMessageIds()).containsExactly("aws-1");
        assertThat(receipt.parts()).isEqualTo(1);
        assertThat(receipt.acceptedAt()).isEqualTo(NOW);
        assertThat(receipt.details()).containsEntry("dryRun", "true");

        LoopbackHttpServer.Recorded r = aws.last();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/");
        assertThat(r.header("X-Amz-Target")).isEqualTo("PinpointSMSVoiceV2.SendTextMessage");
        assertThat(r.header("Content-Type")).startsWith("application/x-amz-json-1.0");
        assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + TestSupport.ACCESS_KEY)
            .contains("/us-east-1/sms-voice/aws4_request");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("DestinationPhoneNumber").asText()).isEqualTo("+14255550156");
        assertThat(body.get("OriginationIdentity").asText()).isEqualTo("+12065550152");
        assertThat(body.get("MessageBody").asText()).isEqualTo("Your table is ready");
        assertThat(body.get("MessageType").asText()).isEqualTo("PROMOTIONAL");
        assertThat(body.get("ConfigurationSetName").asText()).isEqualTo("events");
        assertThat(body.get("Context").get(EumErrors.CONTEXT_MESSAGE_ID).asText()).isEqualTo("our-1");
        assertThat(body.get("TimeToLive").asInt()).isEqualTo(600);
        assertThat(body.get("MaxPrice").asText()).isEqualTo("0.05");
        assertThat(body.get("DryRun").asBoolean()).isTrue();
        assertThat(body.get("MessageFeedbackEnabled").asBoolean()).isTrue();
        assertThat(body.get("ProtectConfigurationId").asText()).isEqualTo("protect-1");
      }
    }

    @Test
    @DisplayName("optional fields are left out, and a request's own sender wins over the default")
    void minimal() throws Exception {
      try (EumSmsProvider provider = eum().originationIdentity("pool-123").build()) {
        SubmitRequest request = request("our-2").toBuilder().from(Originator.alphanumeric("MyBrand")).build();
        await(provider.send(request));
        JsonNode body = JSON.readTree(aws.last().body());
        assertThat(body.get("OriginationIdentity").asText()).isEqualTo("MyBrand");
        assertThat(body.get("MessageType").asText()).isEqualTo("TRANSACTIONAL");
        assertThat(body.has("ConfigurationSetName")).isFalse();
        assertThat(body.has("TimeToLive")).isFalse();
        assertThat(body.has("MaxPrice")).isFalse();
        assertThat(body.has("DryRun")).isFalse();
        assertThat(body.has("ProtectConfigurationId")).isFalse();
      }
    }

    @ParameterizedTest(name = "validity {0} -> TimeToLive {1}")
    @CsvSource({"PT1S, 5", "PT5S, 5", "PT10M, 600", "PT72H, 259200", "PT100H, 259200", "P30D, 259200"})
    @DisplayName("validity becomes TimeToLive, clamped to what AWS allows")
    void timeToLive(Duration validity, int expected) throws Exception {
      try (EumSmsProvider provider = eum().build()) {
        await(provider.send(request("ttl").toBuilder().validity(validity).build()));
        assertThat(JSON.readTree(aws.last().body()).get("TimeToLive").asInt()).isEqualTo(expected);
      }
    }

    @Test
    @DisplayName("MMS media is refused before anything is sent")
    void media() {
      try (EumSmsProvider provider = eum().build()) {
        SmsException e = failure(provider.send(request("m").toBuilder()
            .mediaUrls(List.of(URI.create("https://example.test/a.jpg"))).build()));
        assertThat(e).isInstanceOf(SmsValidationException.class);
        assertThat(((SmsValidationException) e).field()).isEqualTo("mediaUrls");
      }
      assertThat(aws.requests()).isEmpty();
    }

    @Test
    @DisplayName("a body over AWS's 1,600 characters, or an empty one, is refused before anything is sent")
    void bodyLimits() {
      try (EumSmsProvider provider = eum().build()) {
        SmsException tooLong = failure(provider.send(SubmitRequest.builder().messageId("l").to(TO)
            .body("a".repeat(1601)).build()));
        assertThat(tooLong).isInstanceOf(SmsValidationException.class).hasMessageContaining("1601 > 1600");
        SmsException empty = failure(provider.send(SubmitRequest.builder().messageId("e").to(TO).body("").build()));
        assertThat(empty).isInstanceOf(SmsValidationException.class).hasMessage("body is empty");
      }
      assertThat(aws.requests()).isEmpty();
    }

    @Test
    @DisplayName("a null request fails fast; a closed provider fails the future without sending")
    void nullAndClosed() {
      EumSmsProvider provider = eum().build();
      assertThatThrownBy(() -> provider.send(null)).isInstanceOf(NullPointerException.class)
          .hasMessage("request == null");
      provider.close();
      provider.close();
      SmsException e = failure(provider.send(request("c")));
      assertThat(e).isInstanceOf(SmsTransportException.class);
      assertThat(e.possiblyDelivered()).isFalse();
      assertThat(aws.requests()).isEmpty();
    }

    @Test
    @DisplayName("closing with a send in flight fails it as possibly delivered")
    void closeInFlight() {
      aws.respond(r -> LoopbackHttpServer.Reply.hang());
      EumSmsProvider provider = eum().build();
      CompletableFuture<SendReceipt> pending = provider.send(request("inflight"));
      provider.close();
      SmsException e = failure(pending);
      assertThat(e).isInstanceOf(SmsTransportException.class);
      assertThat(e.possiblyDelivered()).isTrue();
    }

    @Test
    @DisplayName("start reports CONNECTED, close reports CLOSED, a second start is refused")
    void lifecycle() {
      TestSupport.RecordingListener listener = new TestSupport.RecordingListener();
      EumSmsProvider provider = eum().build();
      provider.start(listener);
      assertThatThrownBy(() -> provider.start(listener)).isInstanceOf(IllegalStateException.class);
      provider.close();
      assertThat(listener.states).containsExactly(dev.smsgateway.ProviderState.CONNECTED,
          dev.smsgateway.ProviderState.CLOSED);
    }
  }

  @Nested
  @DisplayName("legacy Pinpoint SendMessages")
  class Pinpoint {

    EumSmsProvider.Builder pinpointProvider() {
      return EumSmsProvider.builder().name("pp").mode(EumMode.PINPOINT_PROJECT).pinpointClient(pinpoint)
          .applicationId("app-123").originationIdentity("+12065550152").clock(clock);
    }

    static String result(String status, int code) {
      return "{\"ApplicationId\":\"app-123\",\"RequestId\":\"req-1\",\"Result\":{\"+14255550156\":{\"DeliveryStatus\":\""
          + status + "\",\"StatusCode\":" + code + ",\"MessageId\":\"pp-1\",\"StatusMessage\":\"MessageId: pp-1\"}}}";
    }

    @Test
    @DisplayName("sends POST /v1/apps/{id}/messages with the address, SMS configuration and Context; warns once")
    void wire() throws Exception {
      aws.respond(r -> LoopbackHttpServer.Reply.restJson(200, result("SUCCESSFUL", 200)));
      try (EumSmsProvider provider = pinpointProvider().build()) {
        SendReceipt receipt = await(provider.send(request("our-pp")));
        assertThat(receipt.providerMessageIds()).containsExactly("pp-1");
        assertThat(receipt.details()).containsEntry("requestId", "req-1");
        await(provider.send(request("our-pp2")));
      }
      LoopbackHttpServer.Recorded r = aws.last();
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/v1/apps/app-123/messages");
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.header("Authorization")).contains("/us-east-1/mobiletargeting/aws4_request");
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("Addresses").get("+14255550156").get("ChannelType").asText()).isEqualTo("SMS");
      assertThat(body.get("Context").get(EumErrors.CONTEXT_MESSAGE_ID).asText()).isEqualTo("our-pp2");
      JsonNode sms = body.get("MessageConfiguration").get("SMSMessage");
      assertThat(sms.get("Body").asText()).isEqualTo("Your table is ready");
      assertThat(sms.get("MessageType").asText()).isEqualTo("TRANSACTIONAL");
      assertThat(sms.get("OriginationNumber").asText()).isEqualTo("+12065550152");
      assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("2026-05-20")).singleElement()
          .satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("October 2026").contains("AWS End User Messaging SMS")
                .contains("EUM_SNS");
          });
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
        "THROTTLED, 429, SmsThrottledException, false",
        "OPT_OUT, 400, SmsOptedOutException, false",
        "TEMPORARY_FAILURE, 500, SmsTransportException, false",
        "PERMANENT_FAILURE, 400, SmsRejectedException, false",
        "DUPLICATE, 400, SmsRejectedException, false",
        "UNKNOWN_FAILURE, 500, SmsTransportException, true",
    })
    @DisplayName("a per-address result that is not SUCCESSFUL maps to an SmsException")
    void results(String status, int code, String expected, boolean possiblyDelivered) {
      aws.respond(r -> LoopbackHttpServer.Reply.restJson(200, result(status, code)));
      try (EumSmsProvider provider = pinpointProvider().build()) {
        SmsException e = failure(provider.send(request("r")));
        assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(e.possiblyDelivered()).isEqualTo(possiblyDelivered);
        assertThat(e.providerCode()).contains("Pinpoint:" + status + ":" + code);
        if (e instanceof SmsOptedOutException o) {
          assertThat(o.recipient()).isEqualTo(TO);
        }
      }
    }

    @Test
    @DisplayName("PINPOINT_PROJECT without a client or application id is a configuration error")
    void configuration() {
      assertThatThrownBy(() -> EumSmsProvider.builder().mode(EumMode.PINPOINT_PROJECT).applicationId("a").build())
          .isInstanceOf(dev.smsgateway.SmsConfigurationException.class).hasMessageContaining("pinpointClient");
      assertThatThrownBy(() -> EumSmsProvider.builder().mode(EumMode.PINPOINT_PROJECT).pinpointClient(pinpoint).build())
          .isInstanceOf(dev.smsgateway.SmsConfigurationException.class).hasMessageContaining("applicationId");
      assertThatThrownBy(() -> EumSmsProvider.builder().build())
          .isInstanceOf(dev.smsgateway.SmsConfigurationException.class).hasMessageContaining("smsVoiceClient");
    }
  }

  @Nested
  @DisplayName("retries: SendTextMessage has no client token")
  class Retries {

    @Test
    @DisplayName("a client built with doNotRetry makes exactly one request on a 500; the SDK's default makes four")
    void noSdkRetries() throws Exception {
      aws.respond(r -> LoopbackHttpServer.Reply.awsError(500, "InternalServerException",
          "{\"__type\":\"InternalServerException\",\"Message\":\"boom\",\"RequestId\":\"r\"}"));
      try (EumSmsProvider provider = eum().build()) {
        SmsException e = failure(provider.send(request("once")));
        assertThat(e).isInstanceOf(SmsTransportException.class);
        assertThat(e.possiblyDelivered()).isTrue();
      }
      assertThat(aws.requests()).hasSize(1);
      assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("attempts per call"));

      aws.clear();
      try (PinpointSmsVoiceV2AsyncClient retrying = PinpointSmsVoiceV2AsyncClient.builder()
          .region(Region.US_EAST_1).endpointOverride(aws.uri()).credentialsProvider(TestSupport.CREDENTIALS)
          .httpClientBuilder(software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient.builder())
          .overrideConfiguration(o -> o.retryStrategy(b -> b.backoffStrategy(
              software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())))
          .build();
          EumSmsProvider provider = EumSmsProvider.builder().smsVoiceClient(retrying).build()) {
        failure(provider.send(request("four-times")));
      }
      // aws-sdk-java-v2 2.40.2 sends "amz-sdk-request: attempt=N; max=4" for this service: the same SMS four times.
      assertThat(aws.requests()).as("the SDK default sends the same SMS several times").hasSize(4);
      assertThat(aws.last().header("amz-sdk-request")).isEqualTo("attempt=4; max=4");
      assertThat(logs.list).anyMatch(e -> e.getLevel().toString().equals("WARN")
          && e.getFormattedMessage().contains("SendOnce.strategy()"));
    }
  }

  @Nested
  @DisplayName("transport failures")
  class Transport {

    @Test
    @DisplayName("no answer within the API call timeout: possibly delivered")
    void timeout() {
      aws.respond(r -> LoopbackHttpServer.Reply.hang());
      try (EumSmsProvider provider = eum().build()) {
        SmsException e = failure(provider.send(request("t")));
        assertThat(e).isInstanceOf(SmsTransportException.class);
        assertThat(e.possiblyDelivered()).isTrue();
        assertThat(e.providerCode()).contains("ApiCallTimeoutException");
      }
      assertThat(aws.requests()).hasSize(1);
    }

    @Test
    @DisplayName("connection closed after the request was read: possibly delivered")
    void resetAfterWrite() {
      aws.respond(r -> LoopbackHttpServer.Reply.reset());
      try (EumSmsProvider provider = eum().build()) {
        SmsException e = failure(provider.send(request("x")));
        assertThat(e).isInstanceOf(SmsTransportException.class);
        assertThat(e.providerCode()).contains("SdkClientException");
        assertThat(e.possiblyDelivered()).isTrue();
      }
      assertThat(aws.requests()).hasSize(1);
    }

    @Test
    @DisplayName("connection refused: not sent, retryable")
    void refused() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      try (PinpointSmsVoiceV2AsyncClient dead = TestSupport.smsVoice(URI.create("http://127.0.0.1:" + port),
          Duration.ofSeconds(5));
          EumSmsProvider provider = EumSmsProvider.builder().smsVoiceClient(dead).build()) {
        SmsException e = failure(provider.send(request("r")));
        assertThat(e).isInstanceOf(SmsTransportException.class);
        assertThat(e.possiblyDelivered()).isFalse();
        assertThat(e.retryable()).isTrue();
      }
    }
  }
}
