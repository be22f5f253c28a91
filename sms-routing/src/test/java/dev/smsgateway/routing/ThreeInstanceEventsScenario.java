package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three conversation services, each with its own store objects and its own events bus client on one shared database:
 * every agent's events reach the listeners of the instance the agent is registered on, once, wherever the customer's
 * reply arrived; an instance that stops without cleanup loses nothing. A store module extends this with how to open
 * the shared database and one instance's stores and bus on it (published in sms-routing's test jar).
 *
 * <p>Longer than the ~600 lines a file should hold (about 690): it is one scenario that every store module runs
 * (in-memory, PostgreSQL, DynamoDB Local), and its cases share the three instances, their agents and the event
 * bookkeeping built here; a split would make each store module extend several classes.
 */
public abstract class ThreeInstanceEventsScenario {

  protected static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  protected static final Duration ACCEPT = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** One instance's stores and bus client on the shared database, and what to close when the instance stops. */
  public record Stores(OriginatorStore originators, OptOutStore optOuts, ConversationStore conversations,
      AgentStore agents, MessageStore messages, ConversationEvents events, AutoCloseable closer) {}

  protected final MutableClock clock = MutableClock.at("2026-01-01T09:00:00Z");
  private final AtomicLong ids = new AtomicLong();
  private final List<Instance> instances = new ArrayList<>();

  /** Creates the database the instances share. */
  protected abstract void openShared() throws Exception;

  /** Opens one instance's stores and events bus client on the shared database. */
  protected abstract Stores openStores(MutableClock clock, String name) throws Exception;

  /** Drops what {@link #openShared} created. */
  protected abstract void closeShared() throws Exception;

  /** One instance: a service with a bus, recording what its listeners hear. */
  final class Instance implements AutoCloseable {
    final String name;
    final Stores stores;
    final ConversationService service;
    final List<String> heard = new CopyOnWriteArrayList<>();
    private boolean closed;

    Instance(String name, Stores stores) {
      this(name, stores, null);
    }

    /** With {@code lease}, a presence lease renewed by this instance's sweeps (none when null). */
    Instance(String name, Stores stores, Duration lease) {
      this.name = name;
      this.stores = stores;
      ConversationService.Builder builder = ConversationService.builder();
      if (lease != null) {
        builder.presenceLease(lease);
      }
      service = builder.configuration(SharedAgentsScenario.routing())
          .originatorStore(stores.originators()).optOutStore(stores.optOuts())
          .conversationStore(stores.conversations()).agentStore(stores.agents()).events(stores.events(), name)
          .messageStore(stores.messages()).clock(clock).automaticSweeps(false)
          .sender(sms -> {
            long id = ids.incrementAndGet();
            // what this instance's gateway records of a sent message, in the shared message store
            stores.messages().save(new MessageRecord("msg-" + id, "smpp", PhoneNumber.of(sms.to()), BUSINESS, 1,
                DeliveryStatus.SENT, List.of(DeliveryStatus.SENT), null, clock.instant(), clock.instant()));
            return CompletableFuture.completedFuture(new SendReceipt("msg-" + id, "smpp", List.of("smsc-" + id), 1,
                clock.instant(), Map.of()));
          })
          .listener(new ConversationListener() {
            @Override
            public void onAssigned(Conversation c, String agentId, String whisper) {
              if (killedHere()) {
                return;
              }
              heard.add("assigned " + agentId + " " + c.id());
            }

            @Override
            public void onMessage(Conversation c, InboundSms sms) {
              if (killedHere()) {
                return;
              }
              String handler = c.target() instanceof RouteTarget.Agent a ? a.agentId() : "queue";
              heard.add("message " + handler + " " + sms.body());
            }

            @Override
            public void onDeliveryReport(String conversationId, DeliveryReport report, DeliveryStatus merged) {
              if (killedHere()) {
                return;
              }
              heard.add("report " + conversationId + " " + report.messageId().orElse("?") + " " + merged);
            }

            @Override
            public void onEnded(Conversation c) {
              if (killedHere()) {
                return;
              }
              heard.add("ended " + c.id());
            }

            @Override
            public void onReleased(Conversation c, String agentId) {
              if (killedHere()) {
                return;
              }
              heard.add("released " + agentId + " " + c.id());
            }
          }).build();
    }

    /**
     * Kills this instance where it delivers events: from now on, a listener call never returns (until the test ends)
     * and reaches nobody, as if the JVM died between claiming the agent's events and handing them over.
     */
    void killWhileDelivering() {
      killed = true;
    }

    private volatile boolean killed;
    private final java.util.concurrent.CountDownLatch died = new java.util.concurrent.CountDownLatch(1);

    private boolean killedHere() {
      if (!killed) {
        return false;
      }
      died.countDown();
      try {
        testOver.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }

    void customerWrites(PhoneNumber customer, String text) {
      service.handle(InboundSms.builder().provider("smpp").providerMessageId("mo-" + ids.incrementAndGet())
          .from(customer).to(BUSINESS).body(text).receivedAt(clock.instant()).build());
    }

    void agent(String agentId) {
      service.registerAgent(agentId, 2, Set.of("sales"));
      service.setPresence(agentId, Presence.AVAILABLE);
    }

    /** Stops the service (its sweeps and its bus subscription) without touching agents or conversations. */
    @Override
    public void close() throws Exception {
      if (!closed) {
        closed = true;
        service.close();
        stores.closer().close();
      }
    }
  }

  @BeforeEach
  protected final void openDatabase() throws Exception {
    openShared();
  }

  /** Released when the test ends, so that the delivery threads of killed instances can stop. */
  private final java.util.concurrent.CountDownLatch testOver = new java.util.concurrent.CountDownLatch(1);

  @AfterEach
  protected final void stopInstances() throws Exception {
    testOver.countDown();
    try {
      for (Instance i : instances) {
        i.close();
      }
    } finally {
      closeShared();
    }
  }

  private Instance start(String name) throws Exception {
    return start(name, null);
  }

  private Instance start(String name, Duration lease) throws Exception {
    Instance i = new Instance(name, openStores(clock, name), lease);
    instances.add(i);
    return i;
  }

  private static PhoneNumber customer(int i) {
    return PhoneNumber.of("+1415555" + String.format("%04d", 1000 + i));
  }

  private static long count(Instance i, String line) {
    return i.heard.stream().filter(line::equals).count();
  }

  @Test
  @DisplayName("agents on three instances: a reply arriving on any instance reaches its agent's instance, once")
  protected void repliesReachTheAgentsInstance() throws Exception {
    Instance a = start("a");
    Instance b = start("b");
    Instance c = start("c");
    List<Instance> all = List.of(a, b, c);
    String[] agents = {"alice", "bob", "carol"};
    List<String> conversationIds = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      all.get(n).agent(agents[n]);
      OutboundConversation started = all.get(n).service.startOutbound(agents[n], BUSINESS.address(),
          customer(n).e164(), "Your order " + n + " shipped", null).get(10, TimeUnit.SECONDS);
      conversationIds.add(started.conversationId());
    }
    for (int n = 0; n < 3; n++) {
      Instance owner = all.get(n);
      String line = "assigned " + agents[n] + " " + conversationIds.get(n);
      Eventually.await(line + " on " + owner.name, WAIT, () -> count(owner, line) == 1);
    }

    // Customer n answers on every instance in turn: 9 replies, each to be heard by its agent's instance only.
    for (int round = 0; round < 3; round++) {
      for (int n = 0; n < 3; n++) {
        all.get((n + round + 1) % 3).customerWrites(customer(n), "reply " + round + " from customer " + n);
      }
    }
    for (int n = 0; n < 3; n++) {
      Instance owner = all.get(n);
      String agent = agents[n];
      int customerIndex = n;
      Eventually.await("replies on " + owner.name, WAIT, () -> owner.heard.stream()
          .filter(l -> l.startsWith("message " + agent + " reply ") && l.endsWith("customer " + customerIndex))
          .count() == 3);
    }
    for (String id : conversationIds) {
      assertThat(a.stores.conversations().transcript(id))
          .filteredOn(e -> e.direction() == TranscriptEntry.Direction.INBOUND).hasSize(3);
    }
    for (Instance i : all) {
      i.close(); // a closing subscription delivers what it claimed: a late duplicate would show below
    }

    for (int n = 0; n < 3; n++) {
      Instance owner = all.get(n);
      for (int round = 0; round < 3; round++) {
        String line = "message " + agents[n] + " reply " + round + " from customer " + n;
        assertThat(count(owner, line)).as(line + " on " + owner.name).isEqualTo(1);
        for (Instance other : all) {
          if (other != owner) {
            assertThat(count(other, line)).as(line + " on " + other.name).isZero();
          }
        }
      }
      assertThat(owner.heard).as("everything %s heard", owner.name).hasSize(4);
    }
  }

  @Test
  @DisplayName("an instance stopped without cleanup: its offer goes back to the queue after the accept timeout, and "
      + "its agent's events wait for the agent's next instance; nothing lost or doubled")
  protected void stoppedInstanceLosesNothing() throws Exception {
    Instance a = start("a");
    Instance b = start("b");
    Instance c = start("c");
    a.agent("alice");
    b.agent("bob");
    c.agent("carol");
    // alice's first customer: an open conversation she accepted.
    String kept = a.service.startOutbound("alice", BUSINESS.address(), customer(1).e164(), "Your table is ready",
        null).get(10, TimeUnit.SECONDS).conversationId();
    // alice's second customer answers after she ended that conversation: offered to her, not yet accepted.
    String ended = a.service.startOutbound("alice", BUSINESS.address(), customer(2).e164(), "Your car is ready",
        null).get(10, TimeUnit.SECONDS).conversationId();
    a.service.end(ended, Conversation.EndReason.AGENT);
    clock.advance(Duration.ofMinutes(5));
    b.customerWrites(customer(2), "Coming to pick it up");
    Conversation offered = b.stores.conversations().findOpen(customer(2), BUSINESS).orElseThrow();
    assertThat(offered.target()).isEqualTo(new RouteTarget.Agent("alice"));
    Eventually.await("the offer reaches a", WAIT, () -> count(a, "assigned alice " + offered.id()) == 1);
    Eventually.await("the reply reaches a", WAIT, () -> count(a, "message alice Coming to pick it up") == 1);

    a.close(); // a is gone: its sweeps and subscription stop; alice's state in the store stays as it was
    c.customerWrites(customer(1), "Thanks, on my way"); // for alice, while no instance has her stream
    clock.advance(ACCEPT);
    assertThat(b.service.sweep() + c.service.sweep()).isEqualTo(1);

    Conversation moved = c.stores.conversations().find(offered.id()).orElseThrow();
    assertThat(moved.state()).isEqualTo(Conversation.State.ASSIGNED);
    String newAgent = ((RouteTarget.Agent) moved.target()).agentId();
    assertThat(newAgent).isIn("bob", "carol");
    Instance newOwner = newAgent.equals("bob") ? b : c;
    Instance other = newOwner == b ? c : b;
    Eventually.await("the moved conversation reaches " + newOwner.name, WAIT,
        () -> count(newOwner, "assigned " + newAgent + " " + moved.id()) == 1);
    newOwner.service.accept(newAgent, moved.id());
    other.customerWrites(customer(2), "Is it ready?");
    Eventually.await("the next reply reaches " + newOwner.name, WAIT,
        () -> count(newOwner, "message " + newAgent + " Is it ready?") == 1);

    // alice's desktop reconnects to a new instance: her stream catches up with what happened while she had none.
    Instance a2 = start("a2");
    a2.service.registerAgent("alice", 2, Set.of("sales"));
    Eventually.await("alice's waiting events reach a2", WAIT,
        () -> count(a2, "message alice Thanks, on my way") == 1 && count(a2, "released alice " + offered.id()) == 1);
    assertThat(b.stores.agents().findOffer(offered.id())).isEmpty();
    assertThat(b.stores.agents().find("alice").orElseThrow().load()).isEqualTo(1);
    assertThat(b.stores.agents().find(newAgent).orElseThrow().load()).isEqualTo(1);
    assertThat(b.stores.conversations().transcript(moved.id()))
        .filteredOn(e -> e.direction() == TranscriptEntry.Direction.INBOUND).extracting(TranscriptEntry::text)
        .containsExactly("Coming to pick it up", "Is it ready?");
    for (Instance i : List.of(b, c, a2)) {
      i.close();
    }

    assertThat(count(a2, "message alice Thanks, on my way")).isEqualTo(1);
    assertThat(a2.heard).containsExactly("message alice Thanks, on my way", "released alice " + offered.id());
    assertThat(count(newOwner, "assigned " + newAgent + " " + moved.id())).isEqualTo(1);
    assertThat(count(newOwner, "message " + newAgent + " Is it ready?")).isEqualTo(1);
    assertThat(other.heard).isEmpty();
    assertThat(a.heard).containsExactly("assigned alice " + kept, "assigned alice " + ended, "ended " + ended,
        "assigned alice " + offered.id(), "message alice Coming to pick it up");
  }
  @Test
  @DisplayName("a delivery report reaching another instance than the sender's reaches the agent's instance, once")
  protected void deliveryReportsReachTheAgentsInstance() throws Exception {
    Instance a = start("a");
    Instance b = start("b");
    Instance c = start("c");
    a.agent("alice");
    OutboundConversation started = a.service.startOutbound("alice", BUSINESS.address(), customer(1).e164(),
        "Your order shipped", null).get(10, TimeUnit.SECONDS);
    String conversation = started.conversationId();
    String messageId = started.messageId();
    Eventually.await("the assignment reaches a", WAIT, () -> count(a, "assigned alice " + conversation) == 1);

    // The provider's callbacks land on b (an intermediate status) and on c (the final one): neither sent the message.
    b.service.gatewayListener().onDeliveryReport(report(messageId, DeliveryStatus.ACCEPTED), DeliveryStatus.ACCEPTED);
    c.service.gatewayListener().onDeliveryReport(report(messageId, DeliveryStatus.DELIVERED),
        DeliveryStatus.DELIVERED);
    String accepted = "report " + conversation + " " + messageId + " ACCEPTED";
    String delivered = "report " + conversation + " " + messageId + " DELIVERED";
    Eventually.await("both reports reach a", WAIT, () -> count(a, accepted) == 1 && count(a, delivered) == 1);
    for (Instance i : List.of(a, b, c)) {
      i.close();
    }

    assertThat(a.heard).containsExactly("assigned alice " + conversation, accepted, delivered);
    assertThat(b.heard).isEmpty();
    assertThat(c.heard).isEmpty();
  }

  @Test
  @DisplayName("a delivery report for a conversation that has ended, reaching another instance than the sender's, "
      + "reaches the agent's instance after the end, as on one instance")
  protected void deliveryReportAfterTheEnd() throws Exception {
    Instance a = start("a");
    Instance b = start("b");
    a.agent("alice");
    OutboundConversation started = a.service.startOutbound("alice", BUSINESS.address(), customer(1).e164(),
        "Your order shipped", null).get(10, TimeUnit.SECONDS);
    String conversation = started.conversationId();
    a.service.end(conversation, Conversation.EndReason.AGENT);
    Eventually.await("the end reaches a", WAIT, () -> count(a, "ended " + conversation) == 1);

    b.service.gatewayListener().onDeliveryReport(report(started.messageId(), DeliveryStatus.DELIVERED),
        DeliveryStatus.DELIVERED);
    String delivered = "report " + conversation + " " + started.messageId() + " DELIVERED";
    Eventually.await("the report reaches a", WAIT, () -> count(a, delivered) == 1);
    for (Instance i : List.of(a, b)) {
      i.close();
    }

    assertThat(a.heard).containsExactly("assigned alice " + conversation, "ended " + conversation, delivered);
    assertThat(b.heard).isEmpty();
  }

  @Test
  @DisplayName("a conversation leaving its agent (released on another instance, not accepted in time, agent offline) "
      + "is announced on the agent's instance before its new agent's instance hears of it")
  protected void releasesReachTheAgentsInstance() throws Exception {
    Instance a = start("a");
    Instance b = start("b");
    Instance c = start("c");
    a.agent("alice");
    b.agent("bob");
    // 1. released by hand, the call landing on c: bob gets it
    String first = a.service.startOutbound("alice", BUSINESS.address(), customer(1).e164(), "Your order shipped",
        null).get(10, TimeUnit.SECONDS).conversationId();
    Eventually.await("the first assignment reaches a", WAIT, () -> count(a, "assigned alice " + first) == 1);
    c.service.release("alice", first);
    Eventually.await("bob gets the first conversation", WAIT, () -> count(b, "assigned bob " + first) == 1);
    // 2. not accepted in time: an answer to a conversation alice had ended is offered to her, and lapses to bob
    String second = a.service.startOutbound("alice", BUSINESS.address(), customer(2).e164(), "Your car is ready",
        null).get(10, TimeUnit.SECONDS).conversationId();
    a.service.end(second, Conversation.EndReason.AGENT);
    clock.advance(Duration.ofMinutes(5));
    c.customerWrites(customer(2), "Coming to pick it up");
    String offered = c.stores.conversations().findOpen(customer(2), BUSINESS).orElseThrow().id();
    Eventually.await("the offer reaches a", WAIT, () -> count(a, "message alice Coming to pick it up") == 1);
    clock.advance(ACCEPT);
    assertThat(c.service.sweep()).isEqualTo(1);
    Eventually.await("bob gets the lapsed offer", WAIT, () -> count(b, "assigned bob " + offered) == 1);
    // 3. bob goes offline; the first customer writes again, on c: back to the queue, and to alice
    b.service.setPresence("bob", Presence.OFFLINE);
    c.customerWrites(customer(1), "Still there?");
    Eventually.await("alice gets the first conversation back", WAIT,
        () -> count(a, "message alice Still there?") == 1);
    Eventually.await("bob hears it left him", WAIT, () -> count(b, "released bob " + first) == 1);
    for (Instance i : List.of(a, b, c)) {
      i.close();
    }

    assertThat(a.heard).containsExactly("assigned alice " + first, "released alice " + first,
        "assigned alice " + second, "ended " + second, "assigned alice " + offered,
        "message alice Coming to pick it up", "released alice " + offered, "assigned alice " + first,
        "message alice Still there?");
    assertThat(b.heard).containsExactly("assigned bob " + first, "assigned bob " + offered, "released bob " + first);
    assertThat(c.heard).isEmpty();
  }

  @Test
  @DisplayName("an instance killed between claiming its agent's events and delivering them: the offer goes back to "
      + "the queue after the accept timeout, and the events reach the agent's next instance, none lost or doubled")
  protected void killedBetweenClaimAndDelivery() throws Exception {
    Instance a = start("a");
    Instance b = start("b");
    Instance c = start("c");
    a.agent("alice");
    b.agent("bob");
    String ended = a.service.startOutbound("alice", BUSINESS.address(), customer(2).e164(), "Your car is ready",
        null).get(10, TimeUnit.SECONDS).conversationId();
    a.service.end(ended, Conversation.EndReason.AGENT);
    Eventually.await("the end reaches a", WAIT, () -> count(a, "ended " + ended) == 1);

    a.killWhileDelivering();
    clock.advance(Duration.ofMinutes(5));
    c.customerWrites(customer(2), "Coming to pick it up"); // offered to alice, whose instance dies delivering it
    String offered = c.stores.conversations().findOpen(customer(2), BUSINESS).orElseThrow().id();
    assertThat(a.died.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("a claimed alice's events and died").isTrue();

    clock.advance(ACCEPT); // past the accept timeout, and past the claim lease of the dead instance
    assertThat(b.service.sweep() + c.service.sweep()).isEqualTo(1);
    Eventually.await("bob gets the lapsed offer", WAIT, () -> count(b, "assigned bob " + offered) == 1);
    b.customerWrites(customer(2), "Is it ready?");
    Eventually.await("the next reply reaches bob", WAIT, () -> count(b, "message bob Is it ready?") == 1);

    Instance a2 = start("a2"); // alice's desktop reconnects elsewhere: what a claimed and never delivered arrives
    a2.service.registerAgent("alice", 2, Set.of("sales"));
    Eventually.await("alice's events reach a2", WAIT, () -> count(a2, "released alice " + offered) == 1);
    List<TranscriptEntry> transcript = b.stores.conversations().transcript(offered);
    int aliceLoad = b.stores.agents().find("alice").orElseThrow().load();
    int bobLoad = b.stores.agents().find("bob").orElseThrow().load();
    for (Instance i : List.of(b, c, a2)) {
      i.close();
    }

    assertThat(a.heard).containsExactly("assigned alice " + ended, "ended " + ended);
    // late events carry the conversation as the store has it when they are delivered: bob's by then
    assertThat(a2.heard).containsExactly("assigned alice " + offered, "message bob Coming to pick it up",
        "released alice " + offered);
    assertThat(b.heard).containsExactly("assigned bob " + offered, "message bob Is it ready?");
    assertThat(c.heard).isEmpty();
    assertThat(transcript).filteredOn(e -> e.direction() == TranscriptEntry.Direction.INBOUND)
        .extracting(TranscriptEntry::text).containsExactly("Coming to pick it up", "Is it ready?");
    assertThat(aliceLoad).isZero();
    assertThat(bobLoad).isEqualTo(1);
  }

  /** The presence lease of {@link #killedWithAnAcceptedConversation()}: half the accept timeout. */
  private static final Duration LEASE = ACCEPT.dividedBy(2);

  @Test
  @DisplayName("an instance killed while its agent holds an accepted conversation: within the presence lease the agent "
      + "is offline and the conversation is another instance's agent's; the next reply reaches that agent once, the "
      + "release reaches the agent's next instance once, nobody above capacity")
  protected void killedWithAnAcceptedConversation() throws Exception {
    Instance a = start("a", LEASE);
    Instance b = start("b", LEASE);
    Instance c = start("c", LEASE);
    a.agent("alice");
    b.agent("bob");
    String conversation = a.service.startOutbound("alice", BUSINESS.address(), customer(1).e164(),
        "Your order shipped", null).get(10, TimeUnit.SECONDS).conversationId();
    c.customerWrites(customer(1), "Where is it?");
    Eventually.await("the reply reaches a", WAIT, () -> count(a, "message alice Where is it?") == 1);
    a.service.send("alice", conversation, "At the depot").get(10, TimeUnit.SECONDS); // accepted, hers
    for (Instance i : List.of(a, b, c)) {
      assertThat(i.service.sweep()).isZero(); // heartbeats: every lease runs to now + LEASE
    }

    // a dies: its threads stop (no more sweeps, so no more heartbeats; its delivery thread never returns), no cleanup
    a.killWhileDelivering();
    clock.advance(LEASE.minusSeconds(1));
    assertThat(b.service.sweep() + c.service.sweep()).isZero(); // alice's lease still runs
    assertThat(b.stores.conversations().find(conversation).orElseThrow().target())
        .isEqualTo(new RouteTarget.Agent("alice"));
    clock.advance(Duration.ofSeconds(1)); // the lease ends: within the accept timeout
    assertThat(b.service.sweep() + c.service.sweep()).isEqualTo(1);

    Conversation moved = c.stores.conversations().find(conversation).orElseThrow();
    assertThat(moved.state()).isEqualTo(Conversation.State.ASSIGNED);
    assertThat(moved.target()).isEqualTo(new RouteTarget.Agent("bob"));
    assertThat(c.stores.agents().find("alice").orElseThrow().presence()).isEqualTo("OFFLINE");
    Eventually.await("the conversation reaches b", WAIT, () -> count(b, "assigned bob " + conversation) == 1);
    c.customerWrites(customer(1), "Any news?");
    Eventually.await("the next reply reaches bob", WAIT, () -> count(b, "message bob Any news?") == 1);
    assertThat(b.service.sweep() + c.service.sweep()).isZero(); // taken once: nothing moves twice

    clock.advance(ACCEPT); // past the claim lease of a's dead delivery thread
    Instance a2 = start("a2", LEASE); // alice's desktop reconnects elsewhere
    a2.service.registerAgent("alice", 2, Set.of("sales"));
    Eventually.await("the release reaches a2", WAIT, () -> count(a2, "released alice " + conversation) == 1);
    List<TranscriptEntry> transcript = b.stores.conversations().transcript(conversation);
    int aliceLoad = b.stores.agents().find("alice").orElseThrow().load();
    int bobLoad = b.stores.agents().find("bob").orElseThrow().load();
    for (Instance i : List.of(b, c, a2)) {
      i.close();
    }

    assertThat(a.heard).containsExactly("assigned alice " + conversation, "message alice Where is it?");
    assertThat(b.heard).containsExactly("assigned bob " + conversation, "message bob Any news?");
    assertThat(c.heard).isEmpty();
    assertThat(a2.heard).containsExactly("released alice " + conversation);
    assertThat(transcript).filteredOn(e -> e.direction() == TranscriptEntry.Direction.INBOUND)
        .extracting(TranscriptEntry::text).containsExactly("Where is it?", "Any news?");
    assertThat(transcript).filteredOn(e -> e.direction() == TranscriptEntry.Direction.OUTBOUND)
        .extracting(TranscriptEntry::text).contains("Your order shipped", "At the depot");
    assertThat(aliceLoad).isZero();
    assertThat(bobLoad).isEqualTo(1);
  }

  private DeliveryReport report(String messageId, DeliveryStatus status) {
    return DeliveryReport.builder().provider("smpp").messageId(messageId).status(status).occurredAt(clock.instant())
        .build();
  }
  @Test
  @DisplayName("an agent's desktop moving from one instance to another: the events follow, none lost or doubled")
  protected void agentMovesBetweenInstances() throws Exception {
    Instance a = start("a");
    Instance b = start("b");
    Instance c = start("c");
    a.agent("alice");
    String conversation = a.service.startOutbound("alice", BUSINESS.address(), customer(1).e164(),
        "Your order shipped", null).get(10, TimeUnit.SECONDS).conversationId();
    c.customerWrites(customer(1), "before the move");
    Eventually.await("the first reply reaches a", WAIT, () -> count(a, "message alice before the move") == 1);

    a.service.disconnectAgent("alice");
    c.customerWrites(customer(1), "during the move"); // alice is connected nowhere
    b.service.setPresence("alice", Presence.AVAILABLE); // her desktop is on b now
    c.customerWrites(customer(1), "after the move");
    Eventually.await("both later replies reach b", WAIT, () -> count(b, "message alice during the move") == 1
        && count(b, "message alice after the move") == 1);
    for (Instance i : List.of(a, b, c)) {
      i.close();
    }

    assertThat(a.heard).containsExactly("assigned alice " + conversation, "message alice before the move");
    assertThat(b.heard).containsExactly("message alice during the move", "message alice after the move");
    assertThat(c.heard).isEmpty();
  }

  /** How many customers write in {@link #concurrentReplies()}, each {@value #MESSAGES_PER_CUSTOMER} times. */
  protected int customers() {
    return 200;
  }

  private static final int MESSAGES_PER_CUSTOMER = 5;
  private static final int AGENTS = 20;
  private static final int CAPACITY = 5;

  @Test
  @DisplayName("customers writing at once to three instances, 20 agents spread over them: no agent ever above "
      + "capacity in the store, each message heard once")
  protected void concurrentReplies() throws Exception {
    List<Instance> all = List.of(start("a"), start("b"), start("c"));
    for (int n = 0; n < AGENTS; n++) {
      Instance home = all.get(n % 3);
      home.service.registerAgent("agent-" + n, CAPACITY, Set.of("sales"));
      home.service.setPresence("agent-" + n, Presence.AVAILABLE);
    }
    AgentStore agentStore = all.get(0).stores.agents();
    java.util.concurrent.atomic.AtomicInteger maxLoad = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (running.get()) {
        for (int n = 0; n < AGENTS; n++) {
          int load = agentStore.find("agent-" + n).orElseThrow().load();
          maxLoad.accumulateAndGet(load, Math::max);
        }
      }
    }, "load-sampler");
    sampler.start();
    int threads = 12;
    int customers = customers();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int m = 0; m < MESSAGES_PER_CUSTOMER; m++) {
            for (int k = thread; k < customers; k += threads) {
              all.get((k + m) % 3).customerWrites(customer(k), "message " + m + " of customer " + k);
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      running.set(false);
      sampler.join(10_000);
    }
    int expected = customers * MESSAGES_PER_CUSTOMER;
    Eventually.await(expected + " messages heard", WAIT, () -> all.stream().mapToLong(i -> i.heard.stream()
        .filter(l -> l.startsWith("message ")).count()).sum() >= expected);
    for (int n = 0; n < AGENTS; n++) {
      int load = agentStore.find("agent-" + n).orElseThrow().load();
      assertThat(load).as("agent-" + n + "'s load").isEqualTo(CAPACITY);
      assertThat(all.get(0).stores.conversations().findOpenByTarget(new RouteTarget.Agent("agent-" + n)))
          .hasSize(CAPACITY);
    }
    for (Instance i : all) {
      i.close();
    }

    assertThat(maxLoad.get()).as("the highest load sampled from the store").isBetween(1, CAPACITY);
    Map<String, Long> heard = new java.util.HashMap<>();
    for (Instance i : all) {
      for (String line : i.heard) {
        if (line.startsWith("message ")) {
          heard.merge(line.substring(line.indexOf(" message ") + 1), 1L, Long::sum);
        }
      }
    }
    assertThat(heard).hasSize(expected);
    assertThat(heard.values()).allMatch(count -> count == 1);
    // a message to an agent is heard on the agent's instance only
    for (int n = 0; n < AGENTS; n++) {
      Instance home = all.get(n % 3);
      String agent = "agent-" + n + " ";
      for (Instance i : all) {
        long lines = i.heard.stream().filter(l -> l.startsWith("message " + agent)
            || l.startsWith("assigned " + agent)).count();
        if (i == home) {
          assertThat(lines).as("agent-" + n + " events on its instance").isPositive();
        } else {
          assertThat(lines).as("agent-" + n + " events on " + i.name).isZero();
        }
      }
    }
  }
}
