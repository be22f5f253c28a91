package dev.smsgateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A conversation both ways through Amazon Connect on real parts: the customer's SMS arrive over SMPP (the SMSC
 * simulator), go into one chat contact per conversation through the real Connect and Participant SDK clients
 * (against the stateful stand-in, which checks every request against AWS's models), and what the agent writes in the
 * chat comes back through signed SNS deliveries, verified by sms-eum's verifier, and leaves as SMS over SMPP.
 */
class ConnectChatEndToEndTest {

  /** How long real I/O (SMPP, HTTP, SNS deliveries) is waited for. */
  static final Duration WAIT = Duration.ofSeconds(15);

  static final String CUSTOMER = "+14155550123";

  private static ChatWorld.Peer peer;
  private static AmazonConnectStandIn standIn;
  private static ChatWorld.Clients clients;
  private SmscSimulator smsc;
  private static MutableClock clock;
  private ChatWorld world;
  private InMemoryConversationStore store;

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
    world = new ChatWorld(smsc, standIn, clients, clock, store, new InMemoryOriginatorStore(clock), new InMemoryOptOutStore(),
        new InMemoryMessageStore(clock));
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


  private List<String> smsTo(String number) {
    return smsc.accepted().stream().filter(s -> ("+" + s.destAddr()).equals(number) || s.destAddr().equals(number))
        .map(s -> s.text()).toList();
  }

  private String onlyContact() {
    assertThat(standIn.contactIds()).hasSize(1);
    return standIn.contactIds().iterator().next();
  }

  private Conversation conversationOf(String contactId) {
    ChatLink link = store.findChatLinkByContact(contactId).orElseThrow();
    return store.find(link.conversationId()).orElseThrow();
  }

  @Test
  @DisplayName("every SMS of a conversation goes into one chat; the agent's messages come back as SMS, in order;"
      + " the agent ending the chat ends the conversation; the next SMS starts a new chat")
  void bothWays() throws Exception {
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Hello, I need help")).isZero();
    String contact = onlyContact();
    assertThat(standIn.customerMessages(contact)).containsExactly("Hello, I need help");
    assertThat(standIn.attributes(contact)).containsEntry("businessNumber", ChatWorld.BUSINESS)
        .containsEntry("mappingCode", "care").containsKey("conversationId");
    ChatItem joined = standIn.transcript(contact).get(0);
    assertThat(joined.displayName()).as("the customer, masked; not the business name").isEqualTo("+1415*****23");
    Conversation c = conversationOf(contact);
    assertThat(standIn.attributes(contact)).containsEntry("conversationId", c.id());
    ChatLink link = store.findChatLink(c.id()).orElseThrow();
    assertThat(link.hasConnection()).isTrue();
    assertThat(link.open()).isTrue();

    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Order 42 never arrived")).isZero();
    assertThat(standIn.contactIds()).as("no second contact").hasSize(1);
    assertThat(standIn.customerMessages(contact)).containsExactly("Hello, I need help", "Order 42 never arrived");
    assertThat(standIn.calls("StartChatContact")).isEqualTo(1);
    assertThat(standIn.calls("SendMessage")).isEqualTo(1);

    standIn.agentJoins(contact, "Alice");
    standIn.agentSays(contact, "Hi, Alice here. Let me look at order 42.");
    Eventually.await("the agent's SMS", WAIT,
        () -> smsTo(CUSTOMER).contains("Hi, Alice here. Let me look at order 42."));
    standIn.systemSays(contact, "You are number 1 in the queue");
    standIn.agentSays(contact, "It ships today.");
    Eventually.await("the second agent SMS", WAIT, () -> smsTo(CUSTOMER).contains("It ships today."));
    standIn.awaitStreamed(Duration.ofSeconds(10));
    assertThat(smsTo(CUSTOMER)).as("system messages are not forwarded by default")
        .containsExactly("Hi, Alice here. Let me look at order 42.", "It ships today.");
    List<TranscriptEntry> transcript = store.transcript(c.id());
    assertThat(transcript).filteredOn(e -> e.direction() == TranscriptEntry.Direction.OUTBOUND)
        .extracting(TranscriptEntry::author, TranscriptEntry::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Alice", "Hi, Alice here. Let me look at order 42."),
            org.assertj.core.groups.Tuple.tuple("Alice", "It ships today."));
    assertThat(transcript).extracting(TranscriptEntry::text).contains("agent Alice joined the chat");

    standIn.agentEnds(contact);
    Eventually.await("the conversation to end with the chat", WAIT, () -> !store.find(c.id()).orElseThrow().isOpen());
    assertThat(store.find(c.id()).orElseThrow().endReason()).isEqualTo(Conversation.EndReason.AGENT);
    assertThat(store.findChatLink(c.id()).orElseThrow().open()).isFalse();
    assertThat(standIn.calls("DisconnectParticipant")).as("the chat had ended: nothing to disconnect").isZero();

    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "One more thing")).isZero();
    assertThat(standIn.contactIds()).hasSize(2);
    String second = standIn.contactIds().stream().filter(id -> !id.equals(contact)).findFirst().orElseThrow();
    assertThat(standIn.customerMessages(second)).containsExactly("One more thing");
    assertThat(conversationOf(second).id()).isNotEqualTo(c.id());
  }

  @Test
  @DisplayName("StartChatContact carries the mapping's ChatControl chatDuration as ChatDurationInMinutes; without one"
      + " the chat gets Amazon Connect's default (25 hours)")
  void chatDurationFromChatControl() throws Exception {
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Hi")).isZero();
    String first = onlyContact();
    assertThat(standIn.chatDuration(first)).isEqualTo(Duration.ofHours(25));

    world.close();
    Eventually.await("the first gateway to unbind", WAIT, () -> smsc.boundSessions() == 0);
    world = new ChatWorld(smsc, standIn, clients, clock, new InMemoryConversationStore(),
        new InMemoryOriginatorStore(clock), new InMemoryOptOutStore(), new InMemoryMessageStore(clock),
        dev.smsgateway.routing.ChatControl.builder().idleTimeout(ChatWorld.IDLE)
            .chatDuration(Duration.ofMinutes(120)).build());
    assertThat(smsc.awaitBound(1, Duration.ofSeconds(10))).isTrue();
    assertThat(smsc.deliverMo("+14155550124", ChatWorld.BUSINESS, "Hello")).isZero();
    String second = standIn.contactIds().stream().filter(id -> !id.equals(first)).findFirst().orElseThrow();
    assertThat(standIn.chatDuration(second)).isEqualTo(Duration.ofMinutes(120));
    assertThat(standIn.calls()).filteredOn(call -> call.operation().equals("StartChatContact"))
        .last().satisfies(call -> assertThat(call.body()).contains("\"ChatDurationInMinutes\":120"));
  }

  @Test
  @DisplayName("duplicated and out-of-order SNS deliveries send each agent message once, in the chat's order")
  void duplicatesAndReordering() throws Exception {
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Hi")).isZero();
    String contact = onlyContact();
    standIn.agentSays(contact, "one");
    Eventually.await("the first SMS", WAIT, () -> smsTo(CUSTOMER).contains("one"));
    standIn.awaitStreamed(Duration.ofSeconds(10));

    standIn.holdStreaming();
    standIn.agentSays(contact, "two");
    standIn.agentSays(contact, "three");
    standIn.agentSays(contact, "four");
    standIn.releaseStreaming(true);
    standIn.awaitStreamed(Duration.ofSeconds(10));
    standIn.redeliverAll();
    standIn.awaitStreamed(Duration.ofSeconds(10));
    Eventually.await("four SMS", WAIT, () -> smsTo(CUSTOMER).size() >= 4);
    assertThat(smsTo(CUSTOMER)).containsExactly("one", "two", "three", "four");
  }

  @Test
  @DisplayName("the idle timeout sends its SMS and disconnects the customer participant, which ends the chat")
  void idleTimeout() throws Exception {
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Hi")).isZero();
    String contact = onlyContact();
    Conversation c = conversationOf(contact);
    clock.advance(ChatWorld.IDLE.plusSeconds(1));
    assertThat(world.conversations.sweep()).isEqualTo(1);
    assertThat(store.find(c.id()).orElseThrow().endReason()).isEqualTo(Conversation.EndReason.IDLE_TIMEOUT);
    Eventually.await("the chat to end", WAIT, () -> standIn.ended(contact));
    assertThat(standIn.calls("DisconnectParticipant")).isEqualTo(1);
    assertThat(standIn.transcript(contact)).extracting(ChatItem::contentType)
        .endsWith(ChatItem.LEFT, ChatItem.ENDED);
    Eventually.await("the idle-timeout SMS", WAIT, () -> smsTo(CUSTOMER).size() == 1);
    standIn.awaitStreamed(Duration.ofSeconds(10));
    assertThat(smsTo(CUSTOMER)).as("the chat's end, arriving after, sends nothing more").hasSize(1);
  }

  @Test
  @DisplayName("an expired connection token is renewed with the participant token, without losing the message,"
      + " both ways")
  void tokenExpiry() throws Exception {
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Hi")).isZero();
    String contact = onlyContact();
    Conversation c = conversationOf(contact);
    String before = store.findChatLink(c.id()).orElseThrow().connectionToken();
    standIn.expireConnections();
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Still there?")).isZero();
    assertThat(standIn.customerMessages(contact)).containsExactly("Hi", "Still there?");
    // renewed at least once (a way-back catch-up reading the chat at the same time may renew it too)
    long connections = standIn.calls("CreateParticipantConnection");
    assertThat(connections).isGreaterThanOrEqualTo(2);
    String after = store.findChatLink(c.id()).orElseThrow().connectionToken();
    assertThat(after).isNotEqualTo(before);

    standIn.expireConnections();
    standIn.agentSays(contact, "Yes!");
    Eventually.await("the agent's SMS after renewal", WAIT, () -> smsTo(CUSTOMER).contains("Yes!"));
    assertThat(standIn.calls("CreateParticipantConnection")).isGreaterThan(connections);
    assertThat(store.findChatLink(c.id()).orElseThrow().connectionToken()).isNotEqualTo(after);
  }

  @Test
  @DisplayName("Connect throttling is retried with backoff; when it lasts, the SMS is not taken (the SMSC delivers it"
      + " again) and nothing half-done remains")
  void throttling() throws Exception {
    standIn.throttleNext(2);
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Hi")).isZero();
    String contact = onlyContact();
    assertThat(standIn.calls("StartChatContact")).isEqualTo(3);
    assertThat(standIn.customerMessages(contact)).containsExactly("Hi");

    standIn.throttleNext(100);
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Are you there?")).as("refused: deliver again")
        .isNotZero();
    standIn.throttleNext(0);
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Are you there?")).isZero();
    assertThat(standIn.customerMessages(contact)).containsExactly("Hi", "Are you there?");
  }

  @Test
  @DisplayName("a 5xx that hid a SendMessage which took effect: the SMS is refused, and the SMSC's redelivery (which"
      + " keeps the refused delivery's id) is in the chat once")
  void hiddenSuccessThenSmscRedelivery() throws Exception {
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "Hi")).isZero();
    String contact = onlyContact();

    standIn.failAfterApplyingNext("SendMessage", 100, 500);
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "yes")).as("refused: deliver again").isNotZero();
    assertThat(standIn.customerMessages(contact)).as("it had taken effect").containsExactly("Hi", "yes");
    standIn.failAfterApplyingNext("SendMessage", 0, 500);
    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "yes")).as("the SMSC's redelivery").isZero();
    assertThat(standIn.customerMessages(contact)).containsExactly("Hi", "yes");

    assertThat(smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, "yes")).as("the customer says it again").isZero();
    assertThat(standIn.customerMessages(contact)).containsExactly("Hi", "yes", "yes");
  }
}
