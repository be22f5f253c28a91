package dev.smsgateway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.connect.AmazonConnectContactFlowDelivery;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;

/**
 * Example {@code connect}: Amazon Connect contact-flow delivery. A {@code CONTACT_FLOW} mapping hands conversations to
 * a Connect flow through {@link AmazonConnectContactFlowDelivery} and the real aws-sdk-java-v2 Connect client:
 *
 * <ul>
 *   <li>a customer's SMS on a gateway number (here SMPP) starts a chat contact ({@code StartChatContact}) in the
 *       number's flow, with the attributes the flow needs; when an agent texted that customer first, the attributes
 *       name that agent ({@code originatingAgentId}) and the text they sent, so the flow can route back to them;
 *   <li>an agent-originated SMS from a number linked to Connect through AWS End User Messaging becomes an outbound SMS
 *       contact ({@code StartOutboundChatContact}) that Connect sends, not the gateway.
 * </ul>
 *
 * <p>{@code --loopback}: starts the embedded SMSC simulator and a stand-in HTTP server on 127.0.0.1 answering
 * {@code PUT /contact/chat} and {@code PUT /contact/outbound-chat}; the SDK is pointed at it with
 * {@code endpointOverride}. Without it, see {@code docs/examples.md} for the real-account set-up (this program runs only
 * in loopback mode: a real Connect instance needs its flows and numbers first).
 *
 * <p>Not thread-safe (a program).
 */
final class ConnectExample {

  static final String BUSINESS = "+14155550100";
  static final String CONNECT_NUMBER = "+14155550199";
  static final String DANA = "+14155550123";
  static final String SAM = "+14155550142";
  static final String LEE = "+14155550177";
  static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
  static final String FLOW = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  static final String CONNECT_NUMBER_ARN = "arn:aws:connect:us-east-1:123456789012:phone-number/"
      + "99999999-8888-7777-6666-555555555555";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock = Clock.systemUTC();
  private final Transcript transcript;

  private ConnectExample(PrintStream out) {
    this.transcript = new Transcript(out, clock);
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out) {
    boolean loopback = false;
    for (String arg : args) {
      if (arg.equals("--loopback")) {
        loopback = true;
      } else {
        out.println("unknown option " + arg + "; options: --loopback");
        return 2;
      }
    }
    if (!loopback) {
      out.println("connect runs against loopback stand-ins only: add --loopback. For a real Amazon Connect instance, "
          + "see docs/examples.md (\"connect\").");
      return 2;
    }
    try {
      return new ConnectExample(out).loopback();
    } catch (Exception e) {
      out.println("connect failed: " + e);
      e.printStackTrace(out);
      return 1;
    }
  }

  static RoutingConfiguration configuration() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("care")
            .description("ACME customer care in Amazon Connect")
            .provider("smsc")
            .defaultCountry("US")
            .delivery(Delivery.CONTACT_FLOW)
            .addNumber(n -> n.number(BUSINESS).displayName("ACME Care").contactFlowId(FLOW))
            .addNumber(n -> n.number(CONNECT_NUMBER).displayName("ACME Care (Connect)").contactFlowId(FLOW)
                .connectPhoneNumberArn(CONNECT_NUMBER_ARN)))
        .build();
  }

  private int loopback() throws Exception {
    long started = System.nanoTime();
    transcript.title("sms-gateway example connect (--loopback): Amazon Connect contact flows, SMSC and Connect on "
        + "127.0.0.1");
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    String smscPassword = java.util.HexFormat.of().formatHex(secret).substring(0, 8);
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("example", smscPassword).build().start();
        ConnectStandIn connectApi = new ConnectStandIn();
        ConnectAsyncClient connect = ConnectAsyncClient.builder()
            .endpointOverride(connectApi.server.base())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLELOOPBACK", "loopback-only-secret")))
            .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .build()) {
      SmppSmsProvider smpp = SmppSmsProvider.builder().name("smsc")
          .host(smsc.host()).port(smsc.port()).systemId("example").password(smscPassword)
          .defaultRegion("US")
          .build();
      InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
      ConversationService conversations = ConversationService.builder()
          .configuration(configuration())
          .originatorStore(new InMemoryOriginatorStore(clock))
          .optOutStore(optOuts)
          .conversationStore(new InMemoryConversationStore(clock))
          .contactFlowDelivery(AmazonConnectContactFlowDelivery.builder().client(connect).instanceId(INSTANCE).build())
          .clock(clock)
          .listener(transcript)
          .build();
      try (SmsGateway gateway = SmsGateway.builder()
          .provider(smpp)
          .defaultRegion("US")
          .clock(clock)
          .optOutStore(optOuts)
          .messageStore(new InMemoryMessageStore(clock))
          .inboundHandler(conversations)
          .listener(conversations.gatewayListener())
          .listener(transcript)
          .build()) {
        conversations.bind(gateway::send);
        gateway.start();
        if (!smsc.awaitBound(1, Transcript.STEP_TIMEOUT)) {
          throw new TimeoutException("the SMPP provider did not bind to the embedded SMSC");
        }
        transcript.say("SMSC on " + smsc.host() + ":" + smsc.port() + "; Connect stand-in on " + connectApi.server.base()
            + " (the SDK's endpointOverride), instance " + INSTANCE);

        transcript.step("1. Agent alice texts Dana from a gateway number (SMPP), then closes her chat");
        OutboundConversation alice = conversations.startOutbound("alice", BUSINESS, DANA,
            "Hi Dana, Alice from ACME care. Your replacement router ships today.", "connect-example-1")
            .get(10, TimeUnit.SECONDS);
        transcript.check("the SMS went through the SMSC", smsc.awaitAccepted(1, Transcript.STEP_TIMEOUT),
            smsc.accepted().size() + " submit_sm");
        conversations.end(alice.conversationId(), Conversation.EndReason.AGENT);

        transcript.step("2. Dana replies: a chat contact starts in the number's flow, naming alice");
        smsc.deliverMo(DANA, BUSINESS, "Thanks! Can I change the delivery address?");
        JsonNode chat = connectApi.await("/contact/chat");
        if (!transcript.check("StartChatContact reached the Connect stand-in", chat != null, chat != null
            ? "PUT /contact/chat" : "nothing within 10 s")) {
          return transcript.finish(started);
        }
        printChat(chat);
        JsonNode attributes = chat.path("Attributes");
        transcript.check("flow attributes name alice and her text", FLOW.equals(chat.path("ContactFlowId").asText())
            && "alice".equals(attributes.path("originatingAgentId").asText())
            && attributes.path("originalOutboundText").asText().startsWith("Hi Dana")
            && DANA.equals(attributes.path("customerNumber").asText()), "originatingAgentId=" + attributes
            .path("originatingAgentId").asText());
        transcript.check("the customer's text is the initial message",
            chat.path("InitialMessage").path("Content").asText().contains("delivery address"), "InitialMessage set");

        transcript.step("3. A new customer texts in: the flow decides (no originating agent)");
        smsc.deliverMo(SAM, BUSINESS, "Hi, are you open on Sunday?");
        JsonNode samChat = connectApi.await("/contact/chat");
        if (samChat != null) {
          printChat(samChat);
        }
        transcript.check("new customer -> StartChatContact without an agent", samChat != null
            && SAM.equals(samChat.path("Attributes").path("customerNumber").asText())
            && samChat.path("Attributes").path("originatingAgentId").isMissingNode(), samChat == null ? "none"
            : "customerNumber set, no originatingAgentId");

        transcript.step("4. Agent bob texts Lee from the Connect-linked number: Connect sends it");
        int submitsBefore = smsc.received().size();
        OutboundConversation bob = conversations.startOutbound("bob", CONNECT_NUMBER, LEE,
            "Hello Lee, Bob from ACME care about your ticket 55-1042.", "connect-example-4").get(10, TimeUnit.SECONDS);
        JsonNode outbound = connectApi.await("/contact/outbound-chat");
        if (outbound != null) {
          transcript.say("CONNECT StartOutboundChatContact ContactFlowId=" + outbound.path("ContactFlowId").asText()
              + " SourceEndpoint=" + outbound.path("SourceEndpoint").path("Type").asText()
              + " DestinationEndpoint=" + PhoneNumbers.mask(outbound.path("DestinationEndpoint").path("Address").asText())
              + " Subtype=" + outbound.path("SegmentAttributes").path("connect:Subtype").path("ValueString").asText()
              + " ClientToken=" + outbound.path("ClientToken").asText() + " -> contact " + bob.contactId());
        }
        transcript.check("StartOutboundChatContact from the Connect number", outbound != null
            && CONNECT_NUMBER_ARN.equals(outbound.path("SourceEndpoint").path("Address").asText())
            && LEE.equals(outbound.path("DestinationEndpoint").path("Address").asText())
            && "connect:SMS".equals(outbound.path("SegmentAttributes").path("connect:Subtype").path("ValueString")
                .asText())
            && "connect-example-4".equals(outbound.path("ClientToken").asText())
            && "bob".equals(outbound.path("Attributes").path("originatingAgentId").asText()),
            outbound == null ? "none" : "SourceEndpoint ARN, TELEPHONE_NUMBER, connect:SMS, ClientToken");
        transcript.check("the gateway did not send it itself", smsc.received().size() == submitsBefore,
            (smsc.received().size() - submitsBefore) + " submit_sm");
        transcript.say("Connect stand-in received " + connectApi.requests.get() + " request(s)");
      }
      return transcript.finish(started);
    }
  }

  private void printChat(JsonNode chat) {
    JsonNode a = chat.path("Attributes");
    transcript.say("CONNECT StartChatContact ContactFlowId=" + chat.path("ContactFlowId").asText()
        + " customerNumber=" + PhoneNumbers.mask(a.path("customerNumber").asText())
        + " originatingAgentId=" + a.path("originatingAgentId").asText("-")
        + " InitialMessage=\"" + Transcript.abbreviate(chat.path("InitialMessage").path("Content").asText()) + "\""
        + " ClientToken=" + chat.path("ClientToken").asText());
  }

  /** Stands in for the Amazon Connect API: answers StartChatContact and StartOutboundChatContact as Connect does. */
  private static final class ConnectStandIn implements AutoCloseable {
    final Loopback.Server server;
    final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private final BlockingQueue<JsonNode> chats = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> outboundChats = new LinkedBlockingQueue<>();

    ConnectStandIn() throws IOException {
      server = new Loopback.Server("connect-stand-in").handle("/", this::api).start();
    }

    JsonNode await(String path) throws InterruptedException {
      return (path.equals("/contact/chat") ? chats : outboundChats).poll(Transcript.STEP_TIMEOUT.toSeconds(),
          TimeUnit.SECONDS);
    }

    private void api(HttpExchange exchange) throws IOException {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      boolean chat = path.equals("/contact/chat");
      if (!"PUT".equals(exchange.getRequestMethod()) || !(chat || path.equals("/contact/outbound-chat"))) {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "ResourceNotFoundException");
        Loopback.respond(exchange, 404, "application/json", "{\"message\":\"not found\"}");
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      String contactId = UUID.randomUUID().toString();
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      Loopback.respond(exchange, 200, "application/json", chat
          ? "{\"ContactId\":\"" + contactId + "\",\"ParticipantId\":\"" + UUID.randomUUID()
              + "\",\"ParticipantToken\":\"loopback-participant-token\",\"ContinuedFromContactId\":null}"
          : "{\"ContactId\":\"" + contactId + "\"}");
      (chat ? chats : outboundChats).add(request);
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
