package dev.smsgateway.connect;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.connect.AmazonConnectStandIn;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;
import software.amazon.awssdk.services.connectparticipant.ConnectParticipantAsyncClient;

/**
 * One gateway instance wired to Amazon Connect as an application would: SmsGateway with SmppSmsProvider bound to the
 * SMSC simulator, a ConversationService whose CONTACT_FLOW mapping delivers through AmazonConnectContactFlowDelivery
 * (the real Connect and Participant SDK clients pointed at the stand-in), and an HTTP endpoint on loopback serving
 * AmazonConnectChatEvents, subscribed to the stand-in's streaming topic.
 */
final class ChatWorld implements AutoCloseable {

  static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
  static final String FLOW = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:connect-chats";
  static final String BUSINESS = "+14155550199";
  /** A number linked to Amazon Connect (AWS End User Messaging): agent-originated SMS go through Connect. */
  static final String CONNECT_NUMBER = "+14155550188";
  static final String CONNECT_NUMBER_ARN = "arn:aws:connect:us-east-1:123456789012:phone-number/"
      + "99999999-8888-7777-6666-555555555555";
  static final Duration IDLE = Duration.ofMinutes(30);

  final SmsGateway gateway;
  final ConversationService conversations;
  final ConversationStore store;
  final ConnectAsyncClient connect;
  final ConnectParticipantAsyncClient participant;
  final HttpServer events;
  final ExecutorService eventThreads = Executors.newFixedThreadPool(4);

  /** The application's SDK clients, pointed at the stand-in (shared by the tests of a class: they are slow to warm). */
  record Clients(ConnectAsyncClient connect, ConnectParticipantAsyncClient participant) implements AutoCloseable {
    static Clients of(URI endpoint) {
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
      // Throttling and 5xx are retried by the SDK's standard strategy, with short waits in tests.
      StandardRetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
          .maxAttempts(4)
          .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
          .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
          .circuitBreakerEnabled(false)
          .build();
      return new Clients(ConnectAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
          .credentialsProvider(credentials).httpClient(AwsCrtAsyncHttpClient.builder().build())
          .overrideConfiguration(c -> c.retryStrategy(retries)).build(),
          ConnectParticipantAsyncClient.builder().endpointOverride(endpoint)
          .region(Region.US_EAST_1).credentialsProvider(credentials)
          .httpClient(AwsCrtAsyncHttpClient.builder().build())
          .overrideConfiguration(c -> c.retryStrategy(retries)).build());
    }

    @Override
    public void close() {
      connect.close();
      participant.close();
    }
  }

  ChatWorld(SmscSimulator smsc, AmazonConnectStandIn standIn, Clients clients, MutableClock clock,
      ConversationStore store, OriginatorStore originators, OptOutStore optOuts, MessageStore messages)
      throws Exception {
    this(smsc, standIn, clients, clock, store, originators, optOuts, messages,
        ChatControl.builder().idleTimeout(IDLE).build());
  }

  ChatWorld(SmscSimulator smsc, AmazonConnectStandIn standIn, Clients clients, MutableClock clock,
      ConversationStore store, OriginatorStore originators, OptOutStore optOuts, MessageStore messages,
      ChatControl chatControl) throws Exception {
    this.store = store;
    this.connect = clients.connect();
    this.participant = clients.participant();
    AmazonConnectContactFlowDelivery flows = AmazonConnectContactFlowDelivery.builder()
        .client(connect)
        .participantClient(participant)
        .streamingTopicArn(TOPIC)
        .instanceId(INSTANCE)
        .clock(clock)
        .build();
    RoutingConfiguration configuration = RoutingConfiguration.builder()
        .addMapping(Mapping.builder("care").provider("smpp").defaultCountry("US").delivery(Delivery.CONTACT_FLOW)
            .chatControl(chatControl)
            .addNumber(n -> n.number(BUSINESS).displayName("Acme Care").contactFlowId(FLOW))
            .addNumber(n -> n.number(CONNECT_NUMBER).displayName("Acme Care (Connect)").contactFlowId(FLOW)
                .connectPhoneNumberArn(CONNECT_NUMBER_ARN)))
        .build();
    conversations = ConversationService.builder().configuration(configuration).originatorStore(originators)
        .optOutStore(optOuts).conversationStore(store).clock(clock).contactFlowDelivery(flows)
        .automaticSweeps(false).build();
    gateway = SmsGateway.builder().provider(SmppSmsProvider.builder().name("smpp").host(smsc.host())
            .port(smsc.port()).systemId("esme").password("pw").responseTimeout(Duration.ofSeconds(5))
            .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build())
        .defaultRegion("US").optOutStore(optOuts).messageStore(messages).clock(clock)
        .inboundHandler(conversations).listener(conversations.gatewayListener()).build();
    conversations.bind(gateway);
    gateway.start();

    SnsMessageVerifier verifier = SnsMessageVerifier.builder()
        .allowTopicArns(List.of(TOPIC))
        .certificateFetcher(url -> standIn.signer().certificatePem())
        .trustAnchors(Set.of(standIn.signer().trustAnchor()))
        .clock(clock)
        .build();
    AmazonConnectChatEvents handler = AmazonConnectChatEvents.builder().verifier(verifier)
        .conversations(conversations).build();
    events = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    events.createContext("/connect/chat-events", handler.httpHandler());
    events.setExecutor(eventThreads);
    events.start();
    standIn.subscribe(TOPIC, eventsUri());
  }

  /** The Connect stand-in, the SDK clients on it (warmed up) and the clock they share: one per test class. */
  record Peer(MutableClock clock, AmazonConnectStandIn standIn, Clients clients) implements AutoCloseable {

    static Peer start() throws Exception {
      MutableClock clock = new MutableClock(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      AmazonConnectStandIn standIn = AmazonConnectStandIn.builder().models(AmazonConnectStandIn.sharedModels())
          .clock(clock).start().instance(INSTANCE, FLOW);
      Clients clients = Clients.of(standIn.endpoint());
      warmUp(clients);
      return new Peer(clock, standIn, clients);
    }

    @Override
    public void close() {
      clients.close();
      standIn.close();
    }
  }

  /**
   * One StartChatContact and one participant call, before the first test's clock starts: the SDK clients' first calls
   * load and initialize a lot (seconds on a busy machine), longer than an SMSC waits for its deliver_sm_resp.
   */
  static void warmUp(Clients clients) throws Exception {
    var started = clients.connect().startChatContact(r -> r.instanceId(INSTANCE).contactFlowId(FLOW)
        .participantDetails(p -> p.displayName("warm-up"))).get(60, java.util.concurrent.TimeUnit.SECONDS);
    clients.participant().createParticipantConnection(r -> r.participantToken(started.participantToken())
        .type(software.amazon.awssdk.services.connectparticipant.model.ConnectionType.CONNECTION_CREDENTIALS))
        .get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  URI eventsUri() {
    return URI.create("http://127.0.0.1:" + events.getAddress().getPort() + "/connect/chat-events");
  }

  @Override
  public void close() {
    events.stop(0);
    eventThreads.shutdownNow();
    conversations.close();
    gateway.close();
  }
}
