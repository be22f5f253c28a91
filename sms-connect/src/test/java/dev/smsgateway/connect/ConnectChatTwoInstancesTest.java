package dev.smsgateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.store.dynamodb.DynamoDbStores;
import dev.smsgateway.store.dynamodb.LocalDynamoDb;
import dev.smsgateway.store.jdbc.JdbcStores;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.connect.AmazonConnectStandIn;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * Two gateway instances share one store (one PostgreSQL database; one DynamoDB Local table), each with its own SMPP
 * connection and its own HTTPS endpoint subscribed to the streaming topic (so SNS delivers every chat message to
 * both at once): the customer's SMS arriving at either instance go into the one chat instance A opened, and each
 * agent message reaches the customer exactly once, in order, whichever instance sends it.
 */
class ConnectChatTwoInstancesTest {

  /** How long real I/O (SMPP, HTTP, SNS deliveries) is waited for. */
  static final Duration WAIT = Duration.ofSeconds(15);

  static final String CUSTOMER = "+14155550123";
  static final String WARM_UP = "+14155550177";

  private static ChatWorld.Peer peer;
  private static AmazonConnectStandIn standIn;
  private static ChatWorld.Clients clients;
  private static MutableClock clock;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private SmscSimulator smscA;
  private SmscSimulator smscB;

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
  void start() {
    standIn.reset();
    smscA = SmscSimulator.builder().credentials("esme", "pw").autoDeliveryReceipts(true).build().start();
    smscB = SmscSimulator.builder().credentials("esme", "pw").autoDeliveryReceipts(true).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    smscA.close();
    smscB.close();
    assertThat(standIn.violations()).isEmpty();
  }

  record Stores(ConversationStore conversations, OriginatorStore originators, OptOutStore optOuts,
      MessageStore messages) {}

  @Test
  @DisplayName("PostgreSQL: one chat for the conversation across instances, agent messages sent once")
  void postgres() throws Exception {
    Stores[] stores = postgresStores();
    scenario(stores[0], stores[1]);
  }

  @Test
  @DisplayName("PostgreSQL: an agent-originated chat opened by one instance takes the other's follow-up; the"
      + " customer's reply reaches the agent once across both instances, redelivered or not")
  void postgresOutbound() throws Exception {
    Stores[] stores = postgresStores();
    ChatWorld instanceA = new ChatWorld(smscA, standIn, clients, clock, stores[0].conversations(),
        stores[0].originators(), stores[0].optOuts(), stores[0].messages());
    closing.add(instanceA);
    ChatWorld instanceB = new ChatWorld(smscB, standIn, clients, clock, stores[1].conversations(),
        stores[1].originators(), stores[1].optOuts(), stores[1].messages());
    closing.add(instanceB);
    List<String> toAgent = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (ChatWorld w : List.of(instanceA, instanceB)) {
      w.conversations.addListener(new dev.smsgateway.routing.ConversationListener() {
        @Override
        public void onMessage(dev.smsgateway.store.Conversation c, dev.smsgateway.InboundSms sms) {
          toAgent.add(sms.body());
        }
      });
    }

    var out = instanceA.conversations.startOutbound("alice", ChatWorld.CONNECT_NUMBER, CUSTOMER,
        "Your order 42 shipped", "origin-1").get(30, java.util.concurrent.TimeUnit.SECONDS);
    instanceB.conversations.send("alice", out.conversationId(), "Written through instance B")
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(standIn.contactIds()).as("one contact").containsExactly(out.contactId());
    assertThat(standIn.calls("CreateParticipant")).isEqualTo(1);
    assertThat(standIn.smsToCustomer(out.contactId())).containsExactly("Your order 42 shipped",
        "Written through instance B");

    standIn.customerSays(out.contactId(), "Thanks!");
    Eventually.await("the reply at an agent", WAIT, () -> toAgent.contains("Thanks!"));
    standIn.awaitStreamed(Duration.ofSeconds(20));
    standIn.redeliverAll();
    standIn.awaitStreamed(Duration.ofSeconds(20));
    assertThat(toAgent).containsExactly("Thanks!");
    assertThat(stores[1].conversations().transcript(out.conversationId()))
        .filteredOn(e -> e.direction() == TranscriptEntry.Direction.INBOUND).extracting(TranscriptEntry::text)
        .containsExactly("Thanks!");
    assertThat(sent()).as("Amazon Connect carries these SMS, not the gateways").isEmpty();
  }

  /** Two instances' stores on one fresh PostgreSQL database. */
  private Stores[] postgresStores() throws Exception {
    String admin = System.getenv("SMS_TEST_POSTGRES_URL");
    if (admin == null || admin.isBlank()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("SMS_TEST_POSTGRES_URL is not set under CI");
      }
      Assumptions.abort("SMS_TEST_POSTGRES_URL is not set: eval \"$(scripts/postgres.sh start)\"");
    }
    String name = "sms_connect_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    closing.add(() -> {
      try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    });
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setURL(admin.replaceFirst("/postgres\\?", "/" + name + "?"));
    // a pool, as an application has (HikariCP...): a connection per statement makes each chat item cost seconds
    JdbcConnectionPool ds = JdbcConnectionPool.create(pg);
    ds.setMaxConnections(16);
    closing.add(ds::dispose);
    JdbcStores a = JdbcStores.builder().dataSource(ds).clock(clock).build();
    closing.add(a);
    JdbcStores b = JdbcStores.builder().dataSource(ds).clock(clock).build();
    closing.add(b);
    return new Stores[] {
        new Stores(a.conversationStore(), a.originatorStore(), a.optOutStore(), a.messageStore()),
        new Stores(b.conversationStore(), b.originatorStore(), b.optOutStore(), b.messageStore())};
  }

  @Test
  @DisplayName("DynamoDB Local: one chat for the conversation across instances, agent messages sent once")
  void dynamoDb() throws Exception {
    String table = LocalDynamoDb.newTable();
    closing.add(() -> LocalDynamoDb.deleteTable(table));
    DynamoDbStores a = DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build();
    DynamoDbStores b = DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build();
    scenario(new Stores(a.conversationStore(), a.originatorStore(), a.optOutStore(), a.messageStore()),
        new Stores(b.conversationStore(), b.originatorStore(), b.optOutStore(), b.messageStore()));
  }

  private void scenario(Stores a, Stores b) throws Exception {
    ChatWorld instanceA = new ChatWorld(smscA, standIn, clients, clock, a.conversations(), a.originators(),
        a.optOuts(), a.messages());
    closing.add(instanceA);
    ChatWorld instanceB = new ChatWorld(smscB, standIn, clients, clock, b.conversations(), b.originators(),
        b.optOuts(), b.messages());
    closing.add(instanceB);
    assertThat(smscA.awaitBound(1, Duration.ofSeconds(10))).isTrue();
    assertThat(smscB.awaitBound(1, Duration.ofSeconds(10))).isTrue();

    // Another customer first, through both instances: the first calls into a cold store (DynamoDB Local) can take
    // longer than the SMSC waits for deliver_sm_resp (jsmpp: 2 s).
    smscA.deliverMo(WARM_UP, ChatWorld.BUSINESS, "warm-up");
    smscB.deliverMo(WARM_UP, ChatWorld.BUSINESS, "warm-up");
    Eventually.await("the warm-up chat", WAIT, () -> !contactsOf(WARM_UP).isEmpty());

    deliver(smscA, "Hello from A");
    deliver(smscB, "Then via B");
    deliver(smscA, "And A again");
    assertThat(contactsOf(CUSTOMER)).as("one contact for the conversation").hasSize(1);
    String contact = contactsOf(CUSTOMER).get(0);
    assertThat(standIn.customerMessages(contact)).containsExactly("Hello from A", "Then via B", "And A again");
    String conversationId = b.conversations().findChatLinkByContact(contact).orElseThrow().conversationId();

    standIn.agentSays(contact, "one");
    standIn.agentSays(contact, "two");
    standIn.agentSays(contact, "three");
    standIn.awaitStreamed(Duration.ofSeconds(20));
    Eventually.await("three agent SMS", WAIT, () -> sent().size() >= 3);
    standIn.redeliverAll();
    standIn.awaitStreamed(Duration.ofSeconds(20));
    assertThat(sent()).as("each agent message once, in order, across both instances")
        .containsExactly("one", "two", "three");
    assertThat(a.conversations().transcript(conversationId))
        .filteredOn(e -> e.direction() == TranscriptEntry.Direction.OUTBOUND).extracting(TranscriptEntry::text)
        .containsExactly("one", "two", "three");

    standIn.agentEnds(contact);
    Eventually.await("the conversation to end", WAIT,
        () -> !a.conversations().find(conversationId).orElseThrow().isOpen());
  }

  /**
   * The customer's SMS through one instance, until it is in a chat. The status is not asserted: on a busy machine
   * the first calls into a cold store and Amazon Connect can outlast the 2 s jsmpp's SMSC waits for the
   * deliver_sm_resp (-1), while the message is still handled; what matters here is where it lands.
   */
  private void deliver(SmscSimulator smsc, String text) throws InterruptedException {
    int status = smsc.deliverMo(CUSTOMER, ChatWorld.BUSINESS, text);
    assertThat(status).as("taken, or not answered in time").isIn(0, -1);
    Eventually.await("'" + text + "' in a chat", WAIT, () -> contactsOf(CUSTOMER).stream()
        .anyMatch(id -> standIn.customerMessages(id).contains(text)));
  }

  private List<String> contactsOf(String customer) {
    return standIn.contactIds().stream().filter(id -> customer.equals(standIn.attributes(id).get("customerNumber")))
        .toList();
  }

  /** Agent texts the customer got, from both SMSCs, in the order the SMSCs accepted them. */
  private List<String> sent() {
    List<ReceivedSubmit> all = new ArrayList<>(smscA.accepted());
    all.addAll(smscB.accepted());
    all.sort(java.util.Comparator.comparing(ReceivedSubmit::receivedAt));
    return all.stream().filter(s -> s.destAddr().endsWith("4155550123")).map(ReceivedSubmit::text).toList();
  }
}
