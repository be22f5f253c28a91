package dev.smsgateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.aws.SendOnce;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.routing.InboundChat;
import dev.smsgateway.routing.OutboundChat;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;
import software.amazon.awssdk.services.connect.ConnectClient;

/**
 * The real aws-sdk-java-v2 Connect clients (async on Netty, blocking on URLConnection) send their signed requests to
 * a JDK HttpServer on 127.0.0.1; the tests read what arrived.
 */
class AmazonConnectContactFlowDeliveryTest {

  static final String ACCESS_KEY = "AKIDEXAMPLE";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
  static final String FLOW = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  static final String ARN = "arn:aws:connect:us-east-1:123456789012:phone-number/abc-123";
  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");
  static final ObjectMapper JSON = new ObjectMapper();

  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile int status = 200;
  private volatile String errorType;
  private volatile String responseBody = "{\"ContactId\":\"contact-1\"}";
  private ConnectAsyncClient asyncClient;
  private ConnectClient syncClient;
  private ExecutorService executor;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()), body));
      }
      byte[] out = responseBody.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("x-amzn-RequestId", "req-42");
      if (errorType != null) {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
      }
      exchange.sendResponseHeaders(status, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    asyncClient = ConnectAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(AwsCrtAsyncHttpClient.builder().build())
        .overrideConfiguration(c -> c.retryStrategy(SendOnce.strategy())).build();
    syncClient = ConnectClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(SendOnce.strategy())).build();
    executor = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void stop() throws InterruptedException {
    asyncClient.close();
    syncClient.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    server.stop(0);
  }

  private AmazonConnectContactFlowDelivery async() {
    return AmazonConnectContactFlowDelivery.builder().client(asyncClient).instanceId(INSTANCE).build();
  }

  private AmazonConnectContactFlowDelivery sync() {
    return AmazonConnectContactFlowDelivery.builder().client(syncClient, executor).instanceId(INSTANCE).build();
  }

  private static OutboundChat.Builder outbound() {
    return OutboundChat.builder().contactFlowId(FLOW).sourcePhoneNumberArn(ARN).customer(CUSTOMER)
        .initialSystemMessage("Your order shipped").attributes(Map.of("originatingAgentId", "alice"))
        .clientToken("order-42").chatDuration(Duration.ofMinutes(120)).relatedContactId("prev-contact")
        .displayName("Acme");
  }

  private Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
        .contains("/us-east-1/connect/aws4_request").doesNotContain(SECRET_KEY);
    return r;
  }

  @Test
  @DisplayName("StartOutboundChatContact: PUT /contact/outbound-chat with endpoints, connect:SMS, flow, token")
  void outboundChat() throws Exception {
    responseBody = "{\"ContactId\":\"contact-77\"}";
    assertThat(async().startOutboundChat(outbound().build()).get(10, TimeUnit.SECONDS)).isEqualTo("contact-77");
    Received r = next();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/contact/outbound-chat");
    JsonNode body = r.json();
    assertThat(body.path("InstanceId").asText()).isEqualTo(INSTANCE);
    assertThat(body.path("ContactFlowId").asText()).isEqualTo(FLOW);
    assertThat(body.path("SourceEndpoint").path("Type").asText()).isEqualTo("CONNECT_PHONENUMBER_ARN");
    assertThat(body.path("SourceEndpoint").path("Address").asText()).isEqualTo(ARN);
    assertThat(body.path("DestinationEndpoint").path("Type").asText()).isEqualTo("TELEPHONE_NUMBER");
    assertThat(body.path("DestinationEndpoint").path("Address").asText()).isEqualTo("+14155550123");
    assertThat(body.path("SegmentAttributes").path("connect:Subtype").path("ValueString").asText())
        .isEqualTo("connect:SMS");
    assertThat(body.path("ChatDurationInMinutes").asInt()).isEqualTo(120);
    assertThat(body.path("InitialSystemMessage").path("ContentType").asText()).isEqualTo("text/plain");
    assertThat(body.path("InitialSystemMessage").path("Content").asText()).isEqualTo("Your order shipped");
    assertThat(body.path("RelatedContactId").asText()).isEqualTo("prev-contact");
    assertThat(body.path("ClientToken").asText()).isEqualTo("order-42");
    assertThat(body.path("Attributes").path("originatingAgentId").asText()).isEqualTo("alice");
    assertThat(body.path("ParticipantDetails").path("DisplayName").asText()).isEqualTo("Acme");
  }

  @Test
  @DisplayName("StartChatContact: PUT /contact/chat with the flow, attributes, initial message and client token")
  void inboundChat() throws Exception {
    responseBody = "{\"ContactId\":\"contact-5\",\"ParticipantId\":\"p-1\",\"ParticipantToken\":\"token-secret\"}";
    InboundChat chat = InboundChat.builder().contactFlowId(FLOW).customer(CUSTOMER)
        .business(Originator.longCode(PhoneNumber.of("+14155550199"))).text("Where is my order?")
        .attributes(Map.of("customerNumber", CUSTOMER.e164(), "businessNumber", "+14155550199",
            "originatingAgentId", "alice", "originalOutboundText", "Your order shipped"))
        .clientToken("sms:smpp:mo-1").relatedContactId("contact-4").build();
    assertThat(sync().startChat(chat).get(10, TimeUnit.SECONDS)).isEqualTo("contact-5");
    Received r = next();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/contact/chat");
    JsonNode body = r.json();
    assertThat(body.path("InstanceId").asText()).isEqualTo(INSTANCE);
    assertThat(body.path("ContactFlowId").asText()).isEqualTo(FLOW);
    assertThat(body.path("Attributes").path("customerNumber").asText()).isEqualTo("+14155550123");
    assertThat(body.path("Attributes").path("originatingAgentId").asText()).isEqualTo("alice");
    assertThat(body.path("Attributes").path("originalOutboundText").asText()).isEqualTo("Your order shipped");
    assertThat(body.path("Attributes").path("customerMessage").asText()).isEqualTo("Where is my order?");
    assertThat(body.path("ParticipantDetails").path("DisplayName").asText()).as("the customer, masked")
        .isEqualTo("+1415*****23");
    assertThat(body.path("SupportedMessagingContentTypes").toString()).isEqualTo("[\"text/plain\"]");
    assertThat(body.path("InitialMessage").path("Content").asText()).isEqualTo("Where is my order?");
    assertThat(body.path("InitialMessage").path("ContentType").asText()).isEqualTo("text/plain");
    assertThat(body.path("ClientToken").asText()).isEqualTo("sms:smpp:mo-1");
    assertThat(body.path("RelatedContactId").asText()).isEqualTo("contact-4");
  }

  @Test
  @DisplayName("the customer's display name is the one the application resolves, else the masked number")
  void resolvedDisplayName() throws Exception {
    responseBody = "{\"ContactId\":\"contact-6\"}";
    AmazonConnectContactFlowDelivery named = AmazonConnectContactFlowDelivery.builder().client(asyncClient)
        .instanceId(INSTANCE).customerDisplayName(n -> n.equals(CUSTOMER) ? java.util.Optional.of("Jane Doe")
            : java.util.Optional.empty()).build();
    InboundChat chat = InboundChat.builder().contactFlowId(FLOW).customer(CUSTOMER)
        .business(Originator.longCode(PhoneNumber.of("+14155550199"))).text("Hi").build();
    named.startChat(chat).get(10, TimeUnit.SECONDS);
    assertThat(next().json().path("ParticipantDetails").path("DisplayName").asText()).isEqualTo("Jane Doe");
    InboundChat other = InboundChat.builder().contactFlowId(FLOW).customer(PhoneNumber.of("+14155550177"))
        .business(Originator.longCode(PhoneNumber.of("+14155550199"))).text("Hi").build();
    named.startChat(other).get(10, TimeUnit.SECONDS);
    assertThat(next().json().path("ParticipantDetails").path("DisplayName").asText()).isEqualTo("+1415*****77");
  }

  @Test
  @DisplayName("a long inbound SMS: the initial message is cut to 1,024 characters, the attribute keeps it whole")
  void longInbound() throws Exception {
    String text = "x".repeat(1500);
    InboundChat chat = InboundChat.builder().contactFlowId(FLOW).customer(CUSTOMER)
        .business(Originator.longCode(PhoneNumber.of("+14155550199"))).text(text).build();
    async().startChat(chat).get(10, TimeUnit.SECONDS);
    JsonNode body = next().json();
    assertThat(body.path("InitialMessage").path("Content").asText()).hasSize(1024);
    assertThat(body.path("Attributes").path("customerMessage").asText()).isEqualTo(text);
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @CsvSource({
      "429, ThrottlingException, THROTTLED, false",
      "429, LimitExceededException, THROTTLED, false",
      "403, AccessDeniedException, CONFIGURATION, false",
      "404, ResourceNotFoundException, CONFIGURATION, false",
      "400, InvalidRequestException, REJECTED, false",
      "400, InvalidParameterException, REJECTED, false",
      "409, ConflictException, REJECTED, false",
      "402, ServiceQuotaExceededException, REJECTED, false",
      "500, InternalServiceException, TRANSPORT, true",
      "503, , TRANSPORT, true",
      "429, , THROTTLED, false"})
  @DisplayName("Amazon Connect errors map to typed SmsExceptions, with the raw code kept and numbers masked")
  void errors(int httpStatus, String type, String expected, boolean possiblyDelivered) throws Exception {
    status = httpStatus;
    errorType = type;
    responseBody = "{\"message\":\"problem with +14155550123\"}";
    for (AmazonConnectContactFlowDelivery delivery : List.of(async(), sync())) {
      CompletableFuture<String> f = delivery.startOutboundChat(outbound().build());
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(SmsException.class, e -> {
            Class<?> want = switch (expected) {
              case "THROTTLED" -> SmsThrottledException.class;
              case "CONFIGURATION" -> SmsConfigurationException.class;
              case "REJECTED" -> SmsRejectedException.class;
              default -> SmsTransportException.class;
            };
            assertThat(e).isInstanceOf(want);
            assertThat(e.possiblyDelivered()).isEqualTo(possiblyDelivered);
            assertThat(e.provider()).contains("amazon-connect");
            if (type != null) {
              assertThat(e.providerCode()).contains(type);
            }
            assertThat(e.getMessage()).contains("StartOutboundChatContact").doesNotContain("+14155550123")
                .doesNotContain(SECRET_KEY);
          });
      next();
    }
  }

  @Test
  @DisplayName("out-of-range duration and a too-long initial message are refused before anything is sent")
  void validation() throws Exception {
    assertThatThrownBy(() -> outbound().chatDuration(Duration.ofMinutes(59)).build())
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("chatDurationInMinutes"));
    assertThatThrownBy(() -> outbound().chatDuration(Duration.ofMinutes(10_081)).build())
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.getMessage()).contains("60 to 10080"));
    assertThatThrownBy(() -> outbound().initialSystemMessage("y".repeat(1025)).build())
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.getMessage()).isEqualTo(
                "initialSystemMessage is too long: 1025 > 1024 characters (Amazon Connect's limit)"));
    assertThatThrownBy(() -> outbound().sourcePhoneNumberArn("arn:aws:sns:us-east-1:1:topic").build())
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("sourcePhoneNumberArn"));
    assertThatThrownBy(() -> outbound().clientToken("t".repeat(501)).build())
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("clientToken"));
    assertThat(received).isEmpty();
    // The limits themselves are accepted.
    async().startOutboundChat(outbound().initialSystemMessage("z".repeat(1024)).chatDuration(Duration.ofMinutes(60))
        .build()).get(10, TimeUnit.SECONDS);
    assertThat(next().json().path("ChatDurationInMinutes").asInt()).isEqualTo(60);
    async().startOutboundChat(outbound().chatDuration(Duration.ofMinutes(10_080)).build()).get(10, TimeUnit.SECONDS);
    assertThat(next().json().path("ChatDurationInMinutes").asInt()).isEqualTo(10_080);
  }

  @Test
  @DisplayName("connection refused is a transport error that was certainly not delivered")
  void connectionRefused() {
    server.stop(0);
    CompletableFuture<String> f = sync().startOutboundChat(outbound().build());
    assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(SmsTransportException.class, e -> assertThat(e.possiblyDelivered()).isFalse());
  }

  @Test
  @DisplayName("the builder needs a client and an instance id, and checks the default chat duration")
  void builder() {
    assertThatThrownBy(() -> AmazonConnectContactFlowDelivery.builder().instanceId(INSTANCE).build())
        .isInstanceOf(SmsConfigurationException.class);
    assertThatThrownBy(() -> AmazonConnectContactFlowDelivery.builder().client(asyncClient).build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("instanceId");
    assertThatThrownBy(() -> AmazonConnectContactFlowDelivery.builder().chatDuration(Duration.ofMinutes(30)))
        .isInstanceOf(SmsValidationException.class);
  }
}
