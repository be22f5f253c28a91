package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two conversation services, each with its own store objects, on one shared database: agents registered on one are
 * assigned work by the other, an agent's last free slot goes to one instance only, and the timeouts of an instance
 * that stopped without cleaning up are applied by the other. A store module extends this with how to open the shared
 * database (published in sms-routing's test jar, like {@link MultiInstanceScenario}).
 */
public abstract class SharedAgentsScenario {

  protected static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  protected static final Duration ACCEPT = Duration.ofSeconds(60);
  protected static final Duration IDLE = Duration.ofMinutes(10);

  /** One instance's stores on the shared database, and what to close when the instance stops. */
  public record Stores(OriginatorStore originators, OptOutStore optOuts, ConversationStore conversations,
      AgentStore agents, AutoCloseable closer) {}

  protected final MutableClock clock = MutableClock.at("2026-01-01T09:00:00Z");
  private final AtomicLong ids = new AtomicLong();
  private Instance a;
  private Instance b;

  /** Creates the database both instances share. */
  protected abstract void openShared() throws Exception;

  /** Opens one instance's stores on the shared database. */
  protected abstract Stores openStores(MutableClock clock) throws Exception;

  /** Drops what {@link #openShared} created. */
  protected abstract void closeShared() throws Exception;

  static RoutingConfiguration routing() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("US").delivery(Delivery.QUEUE)
            .originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder().idleTimeout(IDLE).agentAcceptTimeout(ACCEPT))
            .addNumber(n -> n.number(BUSINESS.address()).displayName("Acme Sales").queue("sales")))
        .build();
  }

  /** One instance: a conversation service on its own store objects, recording what it sends and raises. */
  final class Instance implements AutoCloseable {
    final Stores stores;
    final ConversationService service;
    final List<OutboundSms> sent = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    Instance(Stores stores) {
      this.stores = stores;
      service = ConversationService.builder().configuration(routing()).originatorStore(stores.originators())
          .optOutStore(stores.optOuts()).conversationStore(stores.conversations()).agentStore(stores.agents())
          .clock(clock).automaticSweeps(false)
          .sender(sms -> {
            sent.add(sms);
            long id = ids.incrementAndGet();
            return CompletableFuture.completedFuture(new SendReceipt("msg-" + id, "smpp", List.of("smsc-" + id), 1,
                clock.instant(), Map.of()));
          })
          .listener(new ConversationListener() {
            @Override
            public void onAssigned(Conversation c, String agentId, String whisper) {
              events.add("assigned " + agentId);
            }

            @Override
            public void onEnded(Conversation c) {
              events.add("ended " + c.endReason());
            }
          }).build();
    }

    void customerWrites(PhoneNumber customer, String text) {
      service.handle(InboundSms.builder().provider("smpp").providerMessageId("mo-" + ids.incrementAndGet())
          .from(customer).to(BUSINESS).body(text).receivedAt(clock.instant()).build());
    }

    @Override
    public void close() throws Exception {
      service.close();
      stores.closer().close();
    }
  }

  @BeforeEach
  protected final void startInstances() throws Exception {
    openShared();
    a = new Instance(openStores(clock));
    b = new Instance(openStores(clock));
  }

  @AfterEach
  protected final void stopInstances() throws Exception {
    try {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    } finally {
      closeShared();
    }
  }

  private static PhoneNumber customer(int i) {
    return PhoneNumber.of("+1415555" + String.format("%04d", 1000 + i));
  }

  private List<Conversation> openOf(String agent) {
    return a.stores.conversations().findOpenByTarget(new RouteTarget.Agent(agent));
  }

  @Test
  @DisplayName("an agent registered and made available on A is assigned a customer who writes to B")
  protected void presenceIsShared() {
    a.service.registerAgent("alice", 2, Set.of("sales"));
    a.service.setPresence("alice", Presence.AVAILABLE);
    assertThat(b.service.presence("alice")).isEqualTo(Presence.AVAILABLE);

    b.customerWrites(customer(1), "Hi, is my order ready?");

    assertThat(openOf("alice")).hasSize(1);
    assertThat(b.events).containsExactly("assigned alice");
    assertThat(b.service.monitor().agent("alice")).hasValueSatisfying(s -> assertThat(s.load()).isEqualTo(1));
    assertThat(a.stores.agents().find("alice").orElseThrow().load()).isEqualTo(1);
  }

  @Test
  @DisplayName("customers writing to A and B at once: alice's last free slot goes to exactly one, the other waits")
  protected void lastSlotToOne() throws Exception {
    a.service.registerAgent("alice", 1, Set.of("sales"));
    a.service.setPresence("alice", Presence.AVAILABLE);

    concurrently(2, i -> {
      (i == 0 ? a : b).customerWrites(customer(i), "Hello from customer " + i);
      return null;
    });

    assertThat(openOf("alice")).hasSize(1);
    assertThat(a.service.monitor().waiting("sales")).hasSize(1);
    assertThat(a.stores.agents().find("alice").orElseThrow().load()).isEqualTo(1);
  }

  @Test
  @DisplayName("12 customers writing to A and B at once to two agents of capacity 2: 4 assigned, nobody above capacity")
  protected void capacityAcrossInstances() throws Exception {
    a.service.registerAgent("alice", 2, Set.of("sales"));
    b.service.registerAgent("bob", 2, Set.of("sales"));
    a.service.setPresence("alice", Presence.AVAILABLE);
    b.service.setPresence("bob", Presence.AVAILABLE);

    concurrently(12, i -> {
      (i % 2 == 0 ? a : b).customerWrites(customer(i), "Hello from customer " + i);
      return null;
    });

    assertThat(openOf("alice")).hasSize(2);
    assertThat(openOf("bob")).hasSize(2);
    assertThat(a.service.monitor().waiting("sales")).hasSize(8);

    // One of alice's conversations ends on B: the oldest waiting customer gets her freed slot.
    Conversation oldestWaiting = a.service.monitor().waiting("sales").get(0);
    assertThat(b.service.end(openOf("alice").get(0).id(), Conversation.EndReason.AGENT)).isTrue();
    assertThat(openOf("alice")).extracting(Conversation::id).contains(oldestWaiting.id()).hasSize(2);
    assertThat(a.service.monitor().waiting("sales")).hasSize(7);
  }

  @Test
  @DisplayName("A stops without cleanup while a reply is offered to alice: after the accept timeout B moves it to bob")
  protected void crashedInstancesOfferLapsesOnAnother() throws Exception {
    a.service.registerAgent("alice", 2, Set.of("sales"));
    a.service.setPresence("alice", Presence.AVAILABLE);
    b.service.registerAgent("bob", 2, Set.of("sales"));
    b.service.setPresence("bob", Presence.AVAILABLE);
    PhoneNumber customer = customer(1);
    OutboundConversation started = a.service.startOutbound("alice", BUSINESS.address(), customer.e164(),
        "Your table is ready", null).get(10, TimeUnit.SECONDS);
    a.service.end(started.conversationId(), Conversation.EndReason.AGENT);

    clock.advance(Duration.ofMinutes(5));
    a.customerWrites(customer, "Great, coming now");
    Conversation offered = a.stores.conversations().findOpen(customer, BUSINESS).orElseThrow();
    assertThat(offered.target()).isEqualTo(new RouteTarget.Agent("alice"));
    assertThat(b.stores.agents().findOffer(offered.id())).isPresent();

    a.service.close(); // A's sweeps stop: A is gone, nothing else of it was cleaned up
    clock.advance(ACCEPT.minusSeconds(1));
    assertThat(b.service.sweep()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(b.service.sweep()).isEqualTo(1);

    Conversation moved = b.stores.conversations().find(offered.id()).orElseThrow();
    assertThat(moved.target()).isEqualTo(new RouteTarget.Agent("bob"));
    assertThat(b.events).containsExactly("assigned bob");
    assertThat(b.service.transcript(offered.id())).extracting(TranscriptEntry::text)
        .contains("Agent alice did not accept in time; moved to queue:sales");
    assertThat(b.stores.agents().findOffer(offered.id())).isEmpty();
    assertThat(b.stores.agents().find("alice").orElseThrow().load()).isZero();
    assertThat(b.stores.agents().find("bob").orElseThrow().load()).isEqualTo(1);
  }

  @Test
  @DisplayName("both instances sweeping at once: a lapsed offer moves once, an idle conversation ends once")
  protected void oneSweeperPerConversation() throws Exception {
    a.service.registerAgent("alice", 3, Set.of("sales"));
    a.service.setPresence("alice", Presence.AVAILABLE);
    PhoneNumber customer = customer(1);
    OutboundConversation started = a.service.startOutbound("alice", BUSINESS.address(), customer.e164(),
        "Your table is ready", null).get(10, TimeUnit.SECONDS);
    a.service.end(started.conversationId(), Conversation.EndReason.AGENT);
    a.customerWrites(customer, "Coming");
    Conversation offered = a.stores.conversations().findOpen(customer, BUSINESS).orElseThrow();
    b.customerWrites(customer(2), "Other customer");
    Conversation assigned = a.stores.conversations().findOpen(customer(2), BUSINESS).orElseThrow();
    assertThat(assigned.target()).isEqualTo(new RouteTarget.Agent("alice"));
    a.events.clear();
    b.events.clear();

    clock.advance(ACCEPT);
    List<Integer> changed = concurrently(2, i -> (i == 0 ? a : b).service.sweep());
    // Moved to the queue once; then, alice being the queue's only agent, assigned back to her once.
    assertThat(changed.get(0) + changed.get(1)).isEqualTo(2);
    assertThat(a.service.transcript(offered.id())).filteredOn(e -> e.text().contains("did not accept")).hasSize(1);
    List<String> assignedEvents = new ArrayList<>(a.events);
    assignedEvents.addAll(b.events);
    assertThat(assignedEvents).containsExactly("assigned alice");
    assertThat(a.stores.agents().find("alice").orElseThrow().load()).isEqualTo(2);

    clock.advance(IDLE);
    a.events.clear();
    b.events.clear();
    changed = concurrently(2, i -> (i == 0 ? a : b).service.sweep());
    assertThat(changed.get(0) + changed.get(1)).isEqualTo(2); // both conversations idle: each ended once
    List<String> ended = new ArrayList<>(a.events);
    ended.addAll(b.events);
    assertThat(ended).filteredOn(e -> e.startsWith("ended")).containsExactly("ended IDLE_TIMEOUT",
        "ended IDLE_TIMEOUT");
    assertThat(a.stores.agents().find("alice").orElseThrow().load()).isZero();
  }

  private static <T> List<T> concurrently(int threads, IntFunction<T> action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return action.apply(index);
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
