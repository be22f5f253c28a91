package dev.smsgateway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.connect.AmazonConnectChatEvents;
import dev.smsgateway.connect.AmazonConnectContactFlowDelivery;
import dev.smsgateway.eum.SnsMessageVerifier;
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
import dev.smsgateway.test.connect.AmazonConnectStandIn;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;
import software.amazon.awssdk.services.connectparticipant.ConnectParticipantAsyncClient;

/**
 * Example {@code connect}: Amazon Connect chats both ways. A {@code CONTACT_FLOW} mapping hands each conversation to
 * one Connect chat through {@link AmazonConnectContactFlowDelivery} and the real aws-sdk-java-v2 Connect and
 * Participant clients, and the agent's chat messages come back through SNS ({@link AmazonConnectChatEvents}) as SMS:
 *
 * <ul>
 *   <li>a customer's SMS on a gateway number (here SMPP) starts a chat contact ({@code StartChatContact}) in the
 *       number's flow, with the attributes the flow needs; when an agent texted that customer first, the attributes
 *       name that agent ({@code originatingAgentId}) and the text they sent, so the flow can route back to them;
 *   <li>an agent-originated SMS from a number linked to Connect through AWS End User Messaging becomes an outbound SMS
 *       contact ({@code StartOutboundChatContact}) that Connect sends, not the gateway; the gateway joins that chat
 *       ({@code CreateParticipant}), the agent's follow-ups go into it, and the customer's reply comes back.
 * </ul>
 *
 * <p>{@code --loopback}: starts the embedded SMSC simulator and sms-test's {@link AmazonConnectStandIn} (which checks
 * every request against AWS's models and streams chats as signed SNS deliveries) on 127.0.0.1; the SDK clients are
 * pointed at it with {@code endpointOverride}, and the stand-in's topic at this program's SNS endpoint. Without it, see {@code docs/examples.md} for the real-account set-up (this program runs only
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
  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:connect-chats";
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
    transcript.title("sms-gateway example connect (--loopback): Amazon Connect chats both ways, SMSC, Connect and SNS"
        + " on 127.0.0.1");
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    String smscPassword = java.util.HexFormat.of().formatHex(secret).substring(0, 8);
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create("AKIDEXAMPLELOOPBACK", "loopback-only-secret"));
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("example", smscPassword).build().start();
        AmazonConnectStandIn connectApi = AmazonConnectStandIn.builder()
            .models(AmazonConnectStandIn.sharedModels()).clock(clock).start().instance(INSTANCE, FLOW);
        ConnectAsyncClient connect = ConnectAsyncClient.builder()
            .endpointOverride(connectApi.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .build();
        ConnectParticipantAsyncClient participant = ConnectParticipantAsyncClient.builder()
            .endpointOverride(connectApi.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .build()) {
      SmppSmsProvider smpp = SmppSmsProvider.builder().name("smsc")
          .host(smsc.host()).port(smsc.port()).systemId("example").password(smscPassword)
          .defaultRegion("US")
          .build();
      InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
      InMemoryConversationStore store = new InMemoryConversationStore(clock);
      ConversationService conversations = ConversationService.builder()
          .configuration(configuration())
          .originatorStore(new InMemoryOriginatorStore(clock))
          .optOutStore(optOuts)
          .conversationStore(store)
          .contactFlowDelivery(AmazonConnectContactFlowDelivery.builder().client(connect).instanceId(INSTANCE)
              .participantClient(participant).streamingTopicArn(TOPIC).build())
          .clock(clock)
          .listener(transcript)
          .build();
      AmazonConnectChatEvents events = AmazonConnectChatEvents.builder()
          .verifier(SnsMessageVerifier.builder().allowTopicArns(java.util.List.of(TOPIC))
              .certificateFetcher(url -> connectApi.signer().certificatePem())
              .trustAnchors(java.util.Set.of(connectApi.signer().trustAnchor())).build())
          .conversations(conversations)
          .build();
      try (Loopback.Server snsEndpoint = new Loopback.Server("chat-events")
              .handle("/connect/chat-events", events.httpHandler()).start();
          SmsGateway gateway = SmsGateway.builder()
          .provider(smpp)
          .defaultRegion("US")
          .clock(clock)
          .optOutStore(optOuts)
          .messageStore(new InMemoryMessageStore(clock))
          .inboundHandler(conversations)
          .listener(conversations.gatewayListener())
          .listener(transcript)
          .build()) {
        connectApi.subscribe(TOPIC, snsEndpoint.base().resolve("/connect/chat-events"));
        conversations.bind(gateway::send);
        gateway.start();
        if (!smsc.awaitBound(1, Transcript.STEP_TIMEOUT)) {
          throw new TimeoutException("the SMPP provider did not bind to the embedded SMSC");
        }
        transcript.say("SMSC on " + smsc.host() + ":" + smsc.port() + "; Amazon Connect stand-in on "
            + connectApi.endpoint() + " (both SDK clients' endpointOverride), instance " + INSTANCE
            + "; chats streamed to " + TOPIC + " -> " + snsEndpoint.base() + "/connect/chat-events");

        transcript.step("1. Agent alice texts Dana from a gateway number (SMPP), then closes her chat");
        OutboundConversation alice = conversations.startOutbound("alice", BUSINESS, DANA,
            "Hi Dana, Alice from ACME care. Your replacement router ships today.", "connect-example-1")
            .get(10, TimeUnit.SECONDS);
        transcript.check("the SMS went through the SMSC", smsc.awaitAccepted(1, Transcript.STEP_TIMEOUT),
            smsc.accepted().size() + " submit_sm");
        conversations.end(alice.conversationId(), Conversation.EndReason.AGENT);

        transcript.step("2. Dana replies: a chat contact starts in the number's flow, naming alice");
        smsc.deliverMo(DANA, BUSINESS, "Thanks! Can I change the delivery address?");
        JsonNode chat = lastStartChat(connectApi, DANA);
        if (!transcript.check("StartChatContact reached the Connect stand-in", chat != null, chat != null
            ? "PUT /contact/chat" : "nothing")) {
          return transcript.finish(started);
        }
        printChat(chat);
        JsonNode attributes = chat.path("Attributes");
        transcript.check("flow attributes name alice and her text", FLOW.equals(chat.path("ContactFlowId").asText())
            && "alice".equals(attributes.path("originatingAgentId").asText())
            && attributes.path("originalOutboundText").asText().startsWith("Hi Dana")
            && DANA.equals(attributes.path("customerNumber").asText()), "originatingAgentId=" + attributes
            .path("originatingAgentId").asText());
        String danaContact = contactOf(connectApi, DANA);
        transcript.check("streaming to the topic and the customer's connection were set up",
            connectApi.calls("StartContactStreaming") == 1 && connectApi.calls("CreateParticipantConnection") >= 1,
            "StartContactStreaming, CreateParticipantConnection");

        transcript.step("3. Dana writes again: the message goes into the same chat (participant SendMessage)");
        smsc.deliverMo(DANA, BUSINESS, "It's 12 Elm Street now.");
        transcript.check("one chat for the conversation", await(() -> connectApi.customerMessages(danaContact)
            .size() == 2) && connectApi.contactIds().size() == 1,
            connectApi.customerMessages(danaContact).size() + " customer messages in contact " + danaContact);

        transcript.step("4. The agent answers in Amazon Connect: the answer arrives as SMS");
        connectApi.agentJoins(danaContact, "Alice");
        connectApi.agentSays(danaContact, "Done, Dana: 12 Elm Street it is.");
        String answer = "Done, Dana: 12 Elm Street it is.";
        boolean arrived = await(() -> smsc.acceptedTexts().contains(answer));
        transcript.say("SMSC submit_sm to " + PhoneNumbers.mask(DANA) + ": \"" + (arrived ? answer : "-") + "\"");
        transcript.check("the agent's chat message went out over SMPP", arrived, "verified SNS -> SMS");

        transcript.step("5. The agent ends the chat: the conversation ends");
        String danaConversation = store.findChatLinkByContact(danaContact).orElseThrow().conversationId();
        connectApi.agentEnds(danaContact);
        transcript.check("conversation ended with the chat",
            await(() -> !store.find(danaConversation).orElseThrow().isOpen()),
            "EndReason " + store.find(danaConversation).orElseThrow().endReason());

        transcript.step("6. A new customer texts in: a new chat; the flow decides (no originating agent)");
        smsc.deliverMo(SAM, BUSINESS, "Hi, are you open on Sunday?");
        JsonNode samChat = lastStartChat(connectApi, SAM);
        if (samChat != null) {
          printChat(samChat);
        }
        transcript.check("new customer -> StartChatContact without an agent", samChat != null
            && SAM.equals(samChat.path("Attributes").path("customerNumber").asText())
            && samChat.path("Attributes").path("originatingAgentId").isMissingNode(), samChat == null ? "none"
            : "customerNumber set, no originatingAgentId");

        transcript.step("7. Agent bob texts Lee from the Connect-linked number: Connect sends it");
        int submitsBefore = smsc.received().size();
        OutboundConversation bob = conversations.startOutbound("bob", CONNECT_NUMBER, LEE,
            "Hello Lee, Bob from ACME care about your ticket 55-1042.", "connect-example-4").get(10, TimeUnit.SECONDS);
        JsonNode outbound = lastCall(connectApi, "StartOutboundChatContact");
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
        transcript.step("8. Bob follows up in that chat; Lee's reply in Amazon Connect comes back to the gateway");
        String followUp = "Reply here if Tuesday does not suit you.";
        conversations.send("bob", bob.conversationId(), followUp).get(10, TimeUnit.SECONDS);
        java.util.List<String> toLee = connectApi.smsToCustomer(bob.contactId());
        transcript.say("CONNECT CreateParticipant CUSTOM_BOT \"bob\" in contact " + bob.contactId()
            + "; SMS from Connect to " + PhoneNumbers.mask(LEE) + ": " + toLee.size());
        transcript.check("the follow-up went into the same chat (CreateParticipant once, participant SendMessage)",
            connectApi.contactIds().stream().filter(id -> connectApi.smsToCustomer(id).contains(followUp)).toList()
                .equals(java.util.List.of(bob.contactId())) && connectApi.calls("CreateParticipant") == 1,
            toLee.size() + " SMS from Connect to Lee in one contact");
        connectApi.customerSays(bob.contactId(), "Tuesday works, thanks.");
        transcript.check("Lee's reply reached the conversation (listener onMessage, transcript)",
            await(() -> store.transcript(bob.conversationId()).stream().anyMatch(e -> e.direction()
                == dev.smsgateway.store.TranscriptEntry.Direction.INBOUND
                && "Tuesday works, thanks.".equals(e.text()))), "verified SNS -> conversation");
        transcript.check("the gateway sent none of them itself", smsc.received().size() == submitsBefore,
            (smsc.received().size() - submitsBefore) + " submit_sm");
        transcript.check("every request conformed to AWS's models", connectApi.violations().isEmpty(),
            connectApi.calls().size() + " request(s), " + connectApi.violations().size() + " violation(s)");
      }
      return transcript.finish(started);
    }
  }

  /** The latest StartChatContact for a customer, waiting for it (a cold SDK client takes seconds on a busy machine). */
  private static JsonNode lastStartChat(AmazonConnectStandIn connectApi, String customer) throws Exception {
    long deadline = System.nanoTime() + Transcript.STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode chat = lastCall(connectApi, "StartChatContact");
      if (chat != null && customer.equals(chat.path("Attributes").path("customerNumber").asText())
          && connectApi.calls("CreateParticipantConnection") >= connectApi.calls("StartChatContact")) {
        return chat;
      }
      Thread.sleep(20);
    }
    return null;
  }

  private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Transcript.STEP_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static JsonNode lastCall(AmazonConnectStandIn connectApi, String operation) throws IOException {
    java.util.List<AmazonConnectStandIn.Call> calls = connectApi.calls().stream()
        .filter(c -> c.operation().equals(operation) && c.status() == 200).toList();
    return calls.isEmpty() ? null : JSON.readTree(calls.get(calls.size() - 1).body());
  }

  private static String contactOf(AmazonConnectStandIn connectApi, String customer) {
    return connectApi.contactIds().stream()
        .filter(id -> customer.equals(connectApi.attributes(id).get("customerNumber"))).findFirst().orElseThrow();
  }

  private void printChat(JsonNode chat) {
    JsonNode a = chat.path("Attributes");
    transcript.say("CONNECT StartChatContact ContactFlowId=" + chat.path("ContactFlowId").asText()
        + " customerNumber=" + PhoneNumbers.mask(a.path("customerNumber").asText())
        + " originatingAgentId=" + a.path("originatingAgentId").asText("-")
        + " InitialMessage=\"" + Transcript.abbreviate(chat.path("InitialMessage").path("Content").asText()) + "\""
        + " ClientToken=" + chat.path("ClientToken").asText());
  }
}
