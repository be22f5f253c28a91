package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.connect.AmazonConnectChatEvents;
import dev.smsgateway.connect.AmazonConnectContactFlowDelivery;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.connect.AmazonConnectStandIn;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;
import software.amazon.awssdk.services.connectparticipant.ConnectParticipantAsyncClient;

/**
 * A conversation both ways through Amazon Connect with the customer on Twilio: the customer's SMS arrive as signed
 * Twilio webhooks (sms-twilio's TwilioHttpServerHandler on loopback), go into the conversation's chat through the real
 * Connect and Participant SDK clients (against the stand-in), and the agent's chat messages leave through
 * TwilioSmsProvider (twilio-java) to sms-twilio's loopback Twilio API. In package {@code dev.smsgateway.twilio} to
 * reuse that loopback API ({@code FakeTwilioApi}, sms-twilio's test jar).
 */
class ConnectChatTwilioTest {

  /** How long real I/O (SMPP, HTTP, SNS deliveries) is waited for. */
  static final Duration WAIT = Duration.ofSeconds(15);

  static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
  static final String FLOW = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:connect-chats";
  static final String BUSINESS = "+14155550199";
  static final String CUSTOMER = "+14155550123";
  static final String BASE = "https://sms.example.com";
  static final String INBOUND_PATH = "/twilio/inbound/care";

  private static MutableClock clock;
  private static AmazonConnectStandIn standIn;
  private static ConnectAsyncClient connect;
  private static ConnectParticipantAsyncClient participant;

  private FakeTwilioApi twilio;
  private SingleAttemptHttpClient.ClosableNetworkHttpClient twilioHttp;
  private InMemoryConversationStore store;
  private ConversationService conversations;
  private SmsGateway gateway;
  private HttpServer server;
  private final ExecutorService serverThreads = Executors.newFixedThreadPool(4);
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void standIn() throws Exception {
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    standIn = AmazonConnectStandIn.builder().models(AmazonConnectStandIn.sharedModels()).clock(clock).start()
        .instance(INSTANCE, FLOW);
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
    StandardRetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(4)
        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
        .circuitBreakerEnabled(false)
        .build();
    connect = ConnectAsyncClient.builder().endpointOverride(standIn.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(AwsCrtAsyncHttpClient.builder().build())
        .overrideConfiguration(c -> c.retryStrategy(retries)).build();
    participant = ConnectParticipantAsyncClient.builder().endpointOverride(standIn.endpoint())
        .region(Region.US_EAST_1).credentialsProvider(credentials).httpClient(AwsCrtAsyncHttpClient.builder().build())
        .overrideConfiguration(c -> c.retryStrategy(retries)).build();
  }

  @AfterAll
  static void closeStandIn() {
    connect.close();
    participant.close();
    standIn.close();
  }

  @BeforeEach
  void start() throws Exception {
    standIn.reset();
    twilio = new FakeTwilioApi();
    twilioHttp = twilio.client(5000);
    store = new InMemoryConversationStore();
    TwilioSmsProvider provider = TwilioSmsProvider.builder().name("twilio").accountSid(FakeTwilioApi.ACCOUNT)
        .authToken(FakeTwilioApi.TOKEN).httpClient(twilioHttp).threads(2)
        .from(Originator.longCode(PhoneNumber.of(BUSINESS))).publicBaseUrl(URI.create(BASE)).clock(clock).build();
    AmazonConnectContactFlowDelivery flows = AmazonConnectContactFlowDelivery.builder()
        .client(connect).participantClient(participant).streamingTopicArn(TOPIC).instanceId(INSTANCE).clock(clock)
        .build();
    RoutingConfiguration configuration = RoutingConfiguration.builder()
        .addMapping(Mapping.builder("care").provider("twilio").defaultCountry("US").delivery(Delivery.CONTACT_FLOW)
            .chatControl(ChatControl.builder().idleTimeout(Duration.ofMinutes(30)).build())
            .addNumber(n -> n.number(BUSINESS).displayName("Acme Care").contactFlowId(FLOW)))
        .build();
    conversations = ConversationService.builder().configuration(configuration)
        .originatorStore(new InMemoryOriginatorStore(clock)).optOutStore(new InMemoryOptOutStore())
        .conversationStore(store).clock(clock).contactFlowDelivery(flows).automaticSweeps(false).build();
    gateway = SmsGateway.builder().provider(provider).defaultRegion("US").optOutStore(new InMemoryOptOutStore())
        .messageStore(new InMemoryMessageStore(clock)).clock(clock).inboundHandler(conversations)
        .listener(conversations.gatewayListener()).build();
    conversations.bind(gateway);
    gateway.start();

    SnsMessageVerifier verifier = SnsMessageVerifier.builder().allowTopicArns(List.of(TOPIC))
        .certificateFetcher(url -> standIn.signer().certificatePem())
        .trustAnchors(Set.of(standIn.signer().trustAnchor())).clock(clock).build();
    AmazonConnectChatEvents events = AmazonConnectChatEvents.builder().verifier(verifier)
        .conversations(conversations).build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/connect/chat-events", events.httpHandler());
    server.createContext("/twilio/", provider.httpServerHandler());
    server.setExecutor(serverThreads);
    server.start();
    standIn.subscribe(TOPIC, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/connect/chat-events"));
  }

  @AfterEach
  void stop() throws Exception {
    server.stop(0);
    serverThreads.shutdownNow();
    conversations.close();
    gateway.close();
    twilioHttp.close();
    twilio.close();
    assertThat(standIn.violations()).as("requests that break AWS's models").isEmpty();
  }

  /** Twilio posting an inbound message to the webhook, signed as Twilio signs it; returns the HTTP status. */
  private int customerTexts(String messageSid, String body) throws Exception {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("ToCountry", "US"));
    p.add(Map.entry("SmsMessageSid", messageSid));
    p.add(Map.entry("NumMedia", "0"));
    p.add(Map.entry("SmsSid", messageSid));
    p.add(Map.entry("SmsStatus", "received"));
    p.add(Map.entry("Body", body));
    p.add(Map.entry("FromCountry", "US"));
    p.add(Map.entry("To", BUSINESS));
    p.add(Map.entry("NumSegments", "1"));
    p.add(Map.entry("MessageSid", messageSid));
    p.add(Map.entry("AccountSid", FakeTwilioApi.ACCOUNT));
    p.add(Map.entry("From", CUSTOMER));
    p.add(Map.entry("ApiVersion", "2010-04-01"));
    String signature = new TwilioSignature(List.of(FakeTwilioApi.TOKEN)).sign(BASE + INBOUND_PATH, p);
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + INBOUND_PATH))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        .header("X-Twilio-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(WebhookFixtures.encode(p))).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The SMS the gateway asked Twilio to send to the customer (Body of each Messages create), in order. */
  private List<String> smsToCustomer() {
    return twilio.requests().stream().filter(r -> r.path().endsWith("/Messages.json"))
        .filter(r -> CUSTOMER.equals(r.param("To"))).map(r -> r.param("Body")).toList();
  }

  private String onlyContact() {
    assertThat(standIn.contactIds()).hasSize(1);
    return standIn.contactIds().iterator().next();
  }


  @Test
  @DisplayName("Twilio both ways: the customer's webhooks go into one chat, the agent's chat messages leave through"
      + " Twilio's Messages API from the business number, and the agent ending the chat ends the conversation")
  void bothWaysOverTwilio() throws Exception {
    assertThat(customerTexts(WebhookFixtures.sid("SM", 1), "Hello, I need help")).isEqualTo(200);
    String contact = onlyContact();
    assertThat(standIn.customerMessages(contact)).containsExactly("Hello, I need help");
    assertThat(standIn.attributes(contact)).containsEntry("businessNumber", BUSINESS)
        .containsEntry("customerNumber", CUSTOMER).containsEntry("mappingCode", "care");
    assertThat(customerTexts(WebhookFixtures.sid("SM", 2), "Order 42 never arrived")).isEqualTo(200);
    assertThat(standIn.contactIds()).as("no second contact").hasSize(1);
    assertThat(standIn.customerMessages(contact)).containsExactly("Hello, I need help", "Order 42 never arrived");

    standIn.agentJoins(contact, "Alice");
    standIn.agentSays(contact, "Hi, Alice here.");
    standIn.agentSays(contact, "It ships today.");
    Eventually.await("the agent's two SMS through Twilio", WAIT, () -> smsToCustomer().size() == 2);
    assertThat(smsToCustomer()).containsExactly("Hi, Alice here.", "It ships today.");
    assertThat(twilio.requests()).filteredOn(r -> r.path().endsWith("/Messages.json"))
        .allSatisfy(r -> assertThat(r.param("From")).isEqualTo(BUSINESS));

    ChatLink link = store.findChatLinkByContact(contact).orElseThrow();
    standIn.agentEnds(contact);
    Eventually.await("the conversation to end", WAIT, () -> !store.find(link.conversationId()).orElseThrow().isOpen());
    assertThat(store.find(link.conversationId()).orElseThrow().endReason()).isEqualTo(Conversation.EndReason.AGENT);
  }

  @Test
  @DisplayName("a webhook Twilio delivers twice (same MessageSid) goes into the chat once")
  void redeliveredWebhookOnce() throws Exception {
    assertThat(customerTexts(WebhookFixtures.sid("SM", 11), "Hi")).isEqualTo(200);
    String contact = onlyContact();
    assertThat(customerTexts(WebhookFixtures.sid("SM", 12), "Where is my order?")).isEqualTo(200);
    assertThat(customerTexts(WebhookFixtures.sid("SM", 12), "Where is my order?")).isEqualTo(200);
    assertThat(customerTexts(WebhookFixtures.sid("SM", 11), "Hi")).isEqualTo(200);
    assertThat(standIn.contactIds()).hasSize(1);
    assertThat(standIn.customerMessages(contact)).containsExactly("Hi", "Where is my order?");
    assertThat(standIn.calls("SendMessage")).isEqualTo(1);
  }

  @Test
  @DisplayName("Connect answering 5xx on SendMessage after taking the message: the webhook is refused (503, Twilio"
      + " delivers it again) and the redelivered message is in the chat exactly once")
  void serverErrorOnSendMessageThenRedelivery() throws Exception {
    assertThat(customerTexts(WebhookFixtures.sid("SM", 21), "Hi")).isEqualTo(200);
    String contact = onlyContact();
    // every attempt of the SDK's retry strategy (4) is answered 500, the first one after it took effect
    standIn.failAfterApplyingNext("SendMessage", 4, 500);
    assertThat(customerTexts(WebhookFixtures.sid("SM", 22), "Are you there?")).as("refused: deliver again")
        .isEqualTo(503);
    assertThat(standIn.customerMessages(contact)).as("Connect took it once already").containsExactly("Hi",
        "Are you there?");
    assertThat(customerTexts(WebhookFixtures.sid("SM", 22), "Are you there?")).isEqualTo(200);
    assertThat(standIn.customerMessages(contact)).containsExactly("Hi", "Are you there?");
    assertThat(standIn.calls()).filteredOn(c -> c.operation().equals("SendMessage"))
        .extracting(AmazonConnectStandIn.Call::status).containsExactly(500, 500, 500, 500, 200);
  }
}
