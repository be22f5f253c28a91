package dev.smsgateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.InboundSms;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.connect.AmazonConnectStandIn;
import dev.smsgateway.test.connect.ChatItem;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Agent-originated SMS on a number linked to Amazon Connect, on real parts: StartOutboundChatContact through the real
 * SDK client, the gateway joining the chat (CreateParticipant, StartContactStreaming, CreateParticipantConnection)
 * against the stateful stand-in, the agent's follow-ups into that chat, and the customer's reply coming back through
 * signed SNS deliveries to the conversation's listener.
 */
class ConnectOutboundChatTest {

  /** How long real I/O (SMPP, HTTP, SNS deliveries) is waited for. */
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String CUSTOMER = "+14155550123";

  private static ChatWorld.Peer peer;
  private static AmazonConnectStandIn standIn;
  private static ChatWorld.Clients clients;
  private static MutableClock clock;
  private SmscSimulator smsc;
  private ChatWorld world;
  private InMemoryConversationStore store;
  private final List<InboundSms> toAgent = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void standIn() throws Exception {
    peer = ChatWorld.Peer.start();
    standIn = peer.standIn();
    clients = peer.clients();
    clock = peer.clock();
  }

  @AfterAll
  static void closeStandIn() {
    peer.close();
  }

  @BeforeEach
  void start() throws Exception {
    standIn.reset();
    smsc = SmscSimulator.builder().credentials("esme", "pw").autoDeliveryReceipts(true).build().start();
    store = new InMemoryConversationStore();
    world = new ChatWorld(smsc, standIn, clients, clock, store, new InMemoryOriginatorStore(clock),
        new InMemoryOptOutStore(), new InMemoryMessageStore(clock));
    world.conversations.addListener(new ConversationListener() {
      @Override
      public void onMessage(Conversation conversation, InboundSms sms) {
        toAgent.add(sms);
      }
    });
    assertThat(smsc.awaitBound(1, Duration.ofSeconds(10))).isTrue();
  }

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
    assertThat(standIn.violations()).as("requests that break AWS's models").isEmpty();
    if (smsc != null) {
      smsc.close();
    }
  }

  private List<String> bodiesToAgent() {
    return toAgent.stream().map(InboundSms::body).toList();
  }

  private List<String> inboundLines(String conversationId) {
    return store.transcript(conversationId).stream()
        .filter(e -> e.direction() == TranscriptEntry.Direction.INBOUND).map(TranscriptEntry::text).toList();
  }

  @Test
  @DisplayName("originate, then a follow-up into the same chat; the customer's reply joins it and reaches the agent;"
      + " redelivered SNS messages are handled once; nothing goes out over the gateway's own SMPP")
  void originateFollowUpReply() throws Exception {
    OutboundConversation out = world.conversations.startOutbound("alice", ChatWorld.CONNECT_NUMBER, CUSTOMER,
        "Your order 42 shipped", "key-1").get(20, TimeUnit.SECONDS);
    String contact = out.contactId();
    assertThat(standIn.contactIds()).containsExactly(contact);
    assertThat(standIn.participantRoles(contact)).containsExactly("CUSTOMER", "CUSTOM_BOT");
    assertThat(standIn.transcript(contact)).filteredOn(i -> "CUSTOM_BOT".equals(i.participantRole()))
        .first().extracting(ChatItem::displayName).isEqualTo("alice");
    ChatLink link = store.findChatLink(out.conversationId()).orElseThrow();
    assertThat(link.contactId()).isEqualTo(contact);
    assertThat(link.hasConnection()).as("the gateway's participant connection is kept").isTrue();
    assertThat(standIn.calls("CreateParticipant")).isEqualTo(1);
    assertThat(standIn.calls("StartContactStreaming")).isEqualTo(1);

    var receipt = world.conversations.send("alice", out.conversationId(), "Reply here with any question")
        .get(20, TimeUnit.SECONDS);
    assertThat(receipt.details()).containsEntry("contactId", contact);
    assertThat(standIn.contactIds()).as("no second contact").containsExactly(contact);
    assertThat(standIn.smsToCustomer(contact)).containsExactly("Your order 42 shipped",
        "Reply here with any question");
    assertThat(store.transcript(out.conversationId())).filteredOn(e -> e.direction()
        == TranscriptEntry.Direction.OUTBOUND).extracting(TranscriptEntry::text)
        .containsExactly("Your order 42 shipped", "Reply here with any question");

    standIn.customerSays(contact, "When does it arrive?");
    Eventually.await("the customer's reply at the agent", WAIT, () -> bodiesToAgent().contains("When does it arrive?"));
    standIn.awaitStreamed(Duration.ofSeconds(10));
    standIn.redeliverAll();
    standIn.awaitStreamed(Duration.ofSeconds(10));
    assertThat(bodiesToAgent()).as("the gateway's own messages are not echoed; the reply comes once")
        .containsExactly("When does it arrive?");
    assertThat(inboundLines(out.conversationId())).containsExactly("When does it arrive?");
    assertThat(toAgent.get(0).from().e164()).isEqualTo(CUSTOMER);
    assertThat(toAgent.get(0).attributes()).containsEntry("contactId", contact);
    assertThat(smsc.accepted()).as("Amazon Connect carries this conversation's SMS, not the gateway").isEmpty();
  }

  @Test
  @DisplayName("a customer SMS that reaches the gateway for the conversation joins its chat (no new contact); only"
      + " an agent who wrote in the chat may follow up; starting again writes into the open chat")
  void customerSmsJoinsTheChat() throws Exception {
    OutboundConversation out = world.conversations.startOutbound("alice", ChatWorld.CONNECT_NUMBER, CUSTOMER,
        "Your order 42 shipped", null).get(20, TimeUnit.SECONDS);
    String contact = out.contactId();

    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.CONNECT_NUMBER, "Can I change the address?")).isZero();
    assertThat(standIn.contactIds()).as("no second contact").containsExactly(contact);
    assertThat(standIn.calls("StartChatContact")).isZero();
    assertThat(standIn.transcript(contact)).filteredOn(ChatItem::isMessage).extracting(ChatItem::content)
        .containsExactly("Your order 42 shipped", "Can I change the address?");
    standIn.awaitStreamed(Duration.ofSeconds(10));
    assertThat(bodiesToAgent()).as("once, from the gateway; not again from the chat").containsExactly(
        "Can I change the address?");

    assertThatThrownBy(() -> world.conversations.send("bob", out.conversationId(), "Hi from Bob").join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(SmsValidationException.class)
        .hasMessageContaining("agentId");

    OutboundConversation again = world.conversations.startOutbound("alice", ChatWorld.CONNECT_NUMBER, CUSTOMER,
        "Yes, reply with the new one", "key-2").get(20, TimeUnit.SECONDS);
    assertThat(again.conversationId()).isEqualTo(out.conversationId());
    assertThat(again.contactId()).isEqualTo(contact);
    assertThat(standIn.calls("StartOutboundChatContact")).isEqualTo(1);
    assertThat(standIn.smsToCustomer(contact)).containsExactly("Your order 42 shipped", "Can I change the address?",
        "Yes, reply with the new one");
  }

  @Test
  @DisplayName("a 5xx on the follow-up's SendMessage that took effect is retried with the same ClientToken: in the"
      + " chat once; an expired connection of the gateway's participant is renewed and kept")
  void followUpRetried() throws Exception {
    OutboundConversation out = world.conversations.startOutbound("alice", ChatWorld.CONNECT_NUMBER, CUSTOMER,
        "Your order 42 shipped", "key-3").get(20, TimeUnit.SECONDS);
    standIn.failAfterApplyingNext("SendMessage", 1, 500);
    world.conversations.send("alice", out.conversationId(), "Still there?").get(20, TimeUnit.SECONDS);
    assertThat(standIn.calls("SendMessage")).isEqualTo(2);
    assertThat(standIn.smsToCustomer(out.contactId())).containsExactly("Your order 42 shipped", "Still there?");

    String before = store.findChatLink(out.conversationId()).orElseThrow().connectionToken();
    standIn.expireConnections();
    world.conversations.send("alice", out.conversationId(), "After a day").get(20, TimeUnit.SECONDS);
    assertThat(standIn.smsToCustomer(out.contactId())).endsWith("After a day");
    assertThat(store.findChatLink(out.conversationId()).orElseThrow().connectionToken())
        .as("the renewed connection is kept").isNotEqualTo(before);
  }
}
