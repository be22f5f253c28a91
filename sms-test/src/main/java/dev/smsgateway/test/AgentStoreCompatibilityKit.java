package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.store.AgentOffer;
import dev.smsgateway.store.AgentRecord;
import dev.smsgateway.store.AgentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.smsgateway.store.AgentStore} must show. Extend it in a test, return a fresh, empty
 * store from {@link #createStore(Clock)}, and, for a store that several instances share, a second store object on the
 * same database from {@link #secondInstance()} (the races are run between the two):
 *
 * <pre>{@code
 * class JdbcAgentStoreCompatibilityTest extends AgentStoreCompatibilityKit {
 *   protected AgentStore createStore(Clock clock) { return JdbcStores.builder().dataSource(ds).build().agentStore(); }
 *   protected AgentStore secondInstance() { return JdbcStores.builder().dataSource(ds).build().agentStore(); }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class AgentStoreCompatibilityKit extends StoreCompatibilityKit<AgentStore> {

  protected static final String SALES = "sales";
  protected static final String SUPPORT = "support";
  protected static final String AWAY = "AWAY";

  /**
   * Another store object on the same data, as a second gateway instance would open it. Default: the store under test
   * itself (a store of one JVM).
   */
  protected AgentStore secondInstance() {
    return store;
  }

  private void available(String agentId, int capacity, String... queues) {
    store.register(agentId, capacity, Set.of(queues), clock.instant());
    store.setPresence(agentId, AgentRecord.AVAILABLE, clock.instant());
  }

  @Nested
  @DisplayName("registry and presence")
  class Registry {

    @Test
    @DisplayName("a new agent is OFFLINE, idle since registration, holding nothing")
    void newAgent() {
      AgentRecord a = store.register("alice", 3, Set.of(SALES, SUPPORT), clock.instant());
      AgentRecord expected = new AgentRecord("alice", 3, Set.of(SALES, SUPPORT), AgentRecord.OFFLINE, START, Map.of());
      assertThat(a).isEqualTo(expected);
      assertThat(store.find("alice")).contains(expected);
      assertThat(store.find("bob")).isEmpty();
    }

    @Test
    @DisplayName("registering again changes capacity and queues, keeps presence, idle time and slots")
    void reRegister() {
      available("alice", 3, SALES);
      store.hold("alice", "c1", clock.instant());
      Instant idle = store.find("alice").orElseThrow().idleSince();
      clock.advance(Duration.ofMinutes(5));
      AgentRecord a = store.register("alice", 1, Set.of(SUPPORT), clock.instant());
      assertThat(a.capacity()).isEqualTo(1);
      assertThat(a.queues()).containsExactly(SUPPORT);
      assertThat(a.presence()).isEqualTo(AgentRecord.AVAILABLE);
      assertThat(a.idleSince()).isEqualTo(idle);
      assertThat(a.slots()).containsOnlyKeys("c1");
      assertThat(store.find("alice")).contains(a);
    }

    @Test
    @DisplayName("an agent with no queues round-trips")
    void noQueues() {
      store.register("alice", 1, Set.of(), clock.instant());
      assertThat(store.find("alice").orElseThrow().queues()).isEmpty();
    }

    @Test
    @DisplayName("agents() lists every agent by id")
    void list() {
      store.register("carol", 1, Set.of(SALES), clock.instant());
      store.register("alice", 1, Set.of(SALES), clock.instant());
      store.register("bob", 1, Set.of(SALES), clock.instant());
      assertThat(store.agents()).extracting(AgentRecord::agentId).containsExactly("alice", "bob", "carol");
    }

    @Test
    @DisplayName("becoming AVAILABLE makes the agent idle since then; staying AVAILABLE or going AWAY does not")
    void presence() {
      store.register("alice", 1, Set.of(SALES), clock.instant());
      clock.advance(Duration.ofMinutes(1));
      Instant becameAvailable = clock.instant();
      assertThat(store.setPresence("alice", AgentRecord.AVAILABLE, becameAvailable)).contains(AgentRecord.OFFLINE);
      clock.advance(Duration.ofMinutes(1));
      assertThat(store.setPresence("alice", AgentRecord.AVAILABLE, clock.instant())).contains(AgentRecord.AVAILABLE);
      assertThat(store.find("alice").orElseThrow().idleSince()).isEqualTo(becameAvailable);
      clock.advance(Duration.ofMinutes(1));
      assertThat(store.setPresence("alice", AWAY, clock.instant())).contains(AgentRecord.AVAILABLE);
      AgentRecord a = store.find("alice").orElseThrow();
      assertThat(a.presence()).isEqualTo(AWAY);
      assertThat(a.idleSince()).isEqualTo(becameAvailable);
    }

    @Test
    @DisplayName("the presence of an unknown agent is not set, and touch does not register anyone")
    void unknownAgent() {
      assertThat(store.setPresence("nobody", AgentRecord.AVAILABLE, clock.instant())).isEmpty();
      store.touch("nobody", clock.instant());
      assertThat(store.find("nobody")).isEmpty();
      assertThat(store.agents()).isEmpty();
    }

    @Test
    @DisplayName("touch moves idle time, to the nanosecond")
    void touch() {
      store.register("alice", 1, Set.of(SALES), clock.instant());
      Instant at = clock.instant().plusNanos(123_456_789);
      store.touch("alice", at);
      assertThat(store.find("alice").orElseThrow().idleSince()).isEqualTo(at);
    }
  }

  @Nested
  @DisplayName("claiming slots from a queue")
  class Claims {

    @Test
    @DisplayName("the longest-idle available agent of the queue gets the conversation; idle time is unchanged")
    void longestIdle() {
      available("alice", 2, SALES);
      clock.advance(Duration.ofSeconds(1));
      available("bob", 2, SALES);
      store.touch("alice", clock.instant().plusSeconds(1));
      Instant bobIdle = store.find("bob").orElseThrow().idleSince();
      assertThat(store.claim(SALES, "c1", Set.of(), clock.instant())).contains("bob");
      AgentRecord bob = store.find("bob").orElseThrow();
      assertThat(bob.idleSince()).isEqualTo(bobIdle);
      assertThat(bob.slots()).isEqualTo(Map.of("c1", clock.instant()));
      assertThat(bob.load()).isEqualTo(1);
    }

    @Test
    @DisplayName("equally idle agents: the smaller id first")
    void tie() {
      store.register("bob", 1, Set.of(SALES), clock.instant());
      store.register("alice", 1, Set.of(SALES), clock.instant());
      store.setPresence("bob", AgentRecord.AVAILABLE, clock.instant());
      store.setPresence("alice", AgentRecord.AVAILABLE, clock.instant());
      assertThat(store.claim(SALES, "c1", Set.of(), clock.instant())).contains("alice");
      assertThat(store.claim(SALES, "c2", Set.of(), clock.instant())).contains("bob");
    }

    @Test
    @DisplayName("agents who are not AVAILABLE, serve other queues, are excluded or full get nothing")
    void eligibility() {
      store.register("offline", 5, Set.of(SALES), clock.instant());
      store.register("away", 5, Set.of(SALES), clock.instant());
      store.setPresence("away", AWAY, clock.instant());
      available("other", 5, SUPPORT);
      available("excluded", 5, SALES);
      available("full", 1, SALES);
      store.hold("full", "c0", clock.instant());
      assertThat(store.claim(SALES, "c1", Set.of("excluded"), clock.instant())).isEmpty();
      for (String id : List.of("offline", "away", "other", "excluded")) {
        assertThat(store.find(id).orElseThrow().slots()).as(id).isEmpty();
      }
      assertThat(store.find("full").orElseThrow().slots()).containsOnlyKeys("c0");
    }

    @Test
    @DisplayName("never above capacity: the claim after the last free slot finds nobody")
    void capacity() {
      available("alice", 2, SALES);
      assertThat(store.claim(SALES, "c1", Set.of(), clock.instant())).contains("alice");
      assertThat(store.claim(SALES, "c2", Set.of(), clock.instant())).contains("alice");
      assertThat(store.claim(SALES, "c3", Set.of(), clock.instant())).isEmpty();
      assertThat(store.find("alice").orElseThrow().load()).isEqualTo(2);
    }

    @Test
    @DisplayName("an agent already holding the conversation is not given it twice")
    void sameConversationTwice() {
      available("alice", 5, SALES);
      assertThat(store.claim(SALES, "c1", Set.of(), clock.instant())).contains("alice");
      assertThat(store.claim(SALES, "c1", Set.of(), clock.instant())).isEmpty();
      assertThat(store.find("alice").orElseThrow().load()).isEqualTo(1);
    }

    @Test
    @DisplayName("a released slot can be claimed again")
    void releaseFrees() {
      available("alice", 1, SALES);
      store.claim(SALES, "c1", Set.of(), clock.instant());
      assertThat(store.release("alice", "c1")).isTrue();
      assertThat(store.release("alice", "c1")).isFalse();
      assertThat(store.claim(SALES, "c2", Set.of(), clock.instant())).contains("alice");
      assertThat(store.find("alice").orElseThrow().slots()).containsOnlyKeys("c2");
    }
  }

  @Nested
  @DisplayName("releasing only the slot that was read")
  class ConditionalRelease {

    @Test
    @DisplayName("releaseIfClaimedAt releases the slot claimed at that time, not a newer claim of the conversation")
    void onlyThatClaim() {
      available("alice", 2, SALES);
      Instant first = clock.instant();
      store.claim(SALES, "c1", Set.of(), first);
      store.release("alice", "c1");
      Instant second = first.plusNanos(1);
      store.claim(SALES, "c1", Set.of(), second);
      assertThat(store.releaseIfClaimedAt("alice", "c1", first)).isFalse();
      assertThat(store.find("alice").orElseThrow().slots()).isEqualTo(Map.of("c1", second));
      assertThat(store.releaseIfClaimedAt("alice", "c1", second)).isTrue();
      assertThat(store.find("alice").orElseThrow().load()).isZero();
      assertThat(store.claim(SALES, "c2", Set.of(), second)).contains("alice");
      assertThat(store.claim(SALES, "c3", Set.of(), second)).contains("alice");
      assertThat(store.claim(SALES, "c4", Set.of(), second)).isEmpty();
    }
  }

  @Nested
  @DisplayName("holding work the agent took themselves")
  class Holds {

    @Test
    @DisplayName("hold ignores capacity and presence, once per conversation")
    void hold() {
      store.register("alice", 1, Set.of(SALES), clock.instant());
      assertThat(store.hold("alice", "c1", clock.instant())).isTrue();
      assertThat(store.hold("alice", "c2", clock.instant())).isTrue();
      assertThat(store.hold("alice", "c2", clock.instant())).isFalse();
      assertThat(store.find("alice").orElseThrow().load()).isEqualTo(2);
      store.setPresence("alice", AgentRecord.AVAILABLE, clock.instant());
      assertThat(store.claim(SALES, "c3", Set.of(), clock.instant())).isEmpty();
    }

    @Test
    @DisplayName("a record read earlier is a snapshot: later holds, releases and presence changes show only in a new"
        + " read")
    void snapshots() {
      store.register("alice", 5, Set.of(SALES), clock.instant());
      store.hold("alice", "c1", clock.instant());
      AgentRecord before = store.find("alice").orElseThrow();
      store.hold("alice", "c2", clock.instant());
      store.release("alice", "c1");
      store.setPresence("alice", AgentRecord.AVAILABLE, clock.instant());
      assertThat(before.slots()).containsOnlyKeys("c1");
      assertThat(before.presence()).isEqualTo(AgentRecord.OFFLINE);
      AgentRecord after = store.find("alice").orElseThrow();
      assertThat(after.slots()).containsOnlyKeys("c2");
      assertThat(after.presence()).isEqualTo(AgentRecord.AVAILABLE);
      assertThat(store.agents()).singleElement().satisfies(a -> assertThat(a.slots()).containsOnlyKeys("c2"));
    }

    @Test
    @DisplayName("holding or releasing for an unknown agent changes nothing")
    void unknown() {
      assertThat(store.hold("nobody", "c1", clock.instant())).isFalse();
      assertThat(store.release("nobody", "c1")).isFalse();
      assertThat(store.find("nobody")).isEmpty();
    }
  }

  @Nested
  @DisplayName("offers and their deadlines")
  class Offers {

    private final Duration lease = Duration.ofMinutes(1);

    @Test
    @DisplayName("an offer round-trips, is replaced by a newer one, and is withdrawn once")
    void roundTrip() {
      AgentOffer o = new AgentOffer("c1", "alice", clock.instant().plusSeconds(60).plusNanos(7));
      store.offer(o);
      assertThat(store.findOffer("c1")).contains(o);
      AgentOffer newer = new AgentOffer("c1", "bob", clock.instant().plusSeconds(90));
      store.offer(newer);
      assertThat(store.findOffer("c1")).contains(newer);
      assertThat(store.withdrawOffer("c1")).isTrue();
      assertThat(store.withdrawOffer("c1")).isFalse();
      assertThat(store.findOffer("c1")).isEmpty();
    }

    @Test
    @DisplayName("only offers whose deadline has come are taken (deadline == now included), earliest first")
    void due() {
      Instant now = clock.instant();
      store.offer(new AgentOffer("late", "alice", now.minusSeconds(1)));
      store.offer(new AgentOffer("now", "bob", now));
      store.offer(new AgentOffer("future", "carol", now.plusNanos(1)));
      assertThat(store.takeDueOffers(now, lease, 10)).containsExactly(
          new AgentOffer("late", "alice", now.minusSeconds(1)), new AgentOffer("now", "bob", now));
      assertThat(store.findOffer("future")).contains(new AgentOffer("future", "carol", now.plusNanos(1)));
    }

    @Test
    @DisplayName("a taken offer is leased: not taken again until the lease runs out, then taken again")
    void lease() {
      Instant now = clock.instant();
      store.offer(new AgentOffer("c1", "alice", now));
      assertThat(store.takeDueOffers(now, lease, 10)).hasSize(1);
      assertThat(store.findOffer("c1")).contains(new AgentOffer("c1", "alice", now.plus(lease)));
      assertThat(store.takeDueOffers(now.plus(lease).minusNanos(1), lease, 10)).isEmpty();
      assertThat(store.takeDueOffers(now.plus(lease), lease, 10)).extracting(AgentOffer::conversationId)
          .containsExactly("c1");
    }

    @Test
    @DisplayName("at most limit offers are taken; the rest on the next call")
    void limit() {
      Instant now = clock.instant();
      for (int i = 0; i < 5; i++) {
        store.offer(new AgentOffer("c" + i, "alice", now.minusSeconds(10 - i)));
      }
      assertThat(store.takeDueOffers(now, lease, 3)).extracting(AgentOffer::conversationId)
          .containsExactly("c0", "c1", "c2");
      assertThat(store.takeDueOffers(now, lease, 3)).extracting(AgentOffer::conversationId)
          .containsExactly("c3", "c4");
    }
  }

  @Nested
  @DisplayName("presence leases")
  class PresenceLeases {

    @Test
    @DisplayName("renewing sets the lease of a registered agent; an unknown agent is refused; no lease until renewed")
    void renew() {
      available("alice", 2, SALES);
      assertThat(store.presenceLease("alice")).isEmpty();
      assertThat(store.renewPresence("alice", START.plusSeconds(30))).isTrue();
      assertThat(store.presenceLease("alice")).contains(START.plusSeconds(30));
      assertThat(store.renewPresence("alice", START.plusSeconds(60))).isTrue();
      assertThat(store.presenceLease("alice")).contains(START.plusSeconds(60));
      assertThat(store.renewPresence("bob", START.plusSeconds(30))).isFalse();
      assertThat(store.find("bob")).isEmpty();
      assertThat(store.presenceLease("bob")).isEmpty();
      // renewed in time: never lapses, and queues still assign
      assertThat(store.takeLapsedAgents(START.plusSeconds(59), 10)).isEmpty();
      assertThat(store.claim(SALES, "c1", Set.of(), START.plusSeconds(59))).contains("alice");
      assertThat(store.find("alice").orElseThrow().presence()).isEqualTo(AgentRecord.AVAILABLE);
    }

    @Test
    @DisplayName("a lapsed lease: claims skip the agent at once; taking it sets them OFFLINE, once, slots kept")
    void lapse() {
      available("alice", 2, SALES);
      available("bob", 2, SALES);
      available("carol", 2, SALES); // never renewed: no lease, never lapses
      clock.advance(Duration.ofSeconds(1));
      store.touch("carol", clock.instant()); // idle the shortest: picked last
      store.hold("alice", "c0", START);
      store.renewPresence("alice", START.plusSeconds(30));
      store.renewPresence("bob", START.plusSeconds(40));
      assertThat(store.claim(SALES, "c1", Set.of(), START.plusSeconds(30))).contains("bob"); // alice lapsed at 30 s
      assertThat(store.find("alice").orElseThrow().load()).isEqualTo(1);

      assertThat(store.takeLapsedAgents(START.plusSeconds(29), 10)).isEmpty();
      assertThat(store.takeLapsedAgents(START.plusSeconds(45), 10)).containsExactly("alice", "bob"); // earliest first
      AgentRecord alice = store.find("alice").orElseThrow();
      assertThat(alice.presence()).isEqualTo(AgentRecord.OFFLINE);
      assertThat(alice.slots()).containsOnlyKeys("c0"); // the caller releases the conversations
      assertThat(store.presenceLease("alice")).isEmpty();
      assertThat(store.find("bob").orElseThrow().presence()).isEqualTo(AgentRecord.OFFLINE);
      assertThat(store.find("carol").orElseThrow().presence()).isEqualTo(AgentRecord.AVAILABLE);
      assertThat(store.takeLapsedAgents(START.plusSeconds(3600), 10)).isEmpty();
      assertThat(store.claim(SALES, "c2", Set.of(), START.plusSeconds(45))).contains("carol");

      // back: presence again and a new lease
      store.setPresence("alice", AgentRecord.AVAILABLE, START.plusSeconds(46));
      store.renewPresence("alice", START.plusSeconds(90));
      assertThat(store.claim(SALES, "c3", Set.of("carol"), START.plusSeconds(50))).contains("alice");
    }

    @Test
    @DisplayName("lapsed agents are taken earliest first, at most the limit")
    void lapsedLimit() {
      for (int i = 0; i < 5; i++) {
        available("agent-" + i, 1, SALES);
        store.renewPresence("agent-" + i, START.plusSeconds(10 - i));
      }
      assertThat(store.takeLapsedAgents(START.plusSeconds(60), 2)).containsExactly("agent-4", "agent-3");
      assertThat(store.takeLapsedAgents(START.plusSeconds(60), 10)).containsExactly("agent-2", "agent-1", "agent-0");
    }
  }

  @Nested
  @DisplayName("two instances at once")
  class Races {

    @Test
    @DisplayName("8 sweeps from two instances taking two lapsed agents: each is taken exactly once")
    void oneTakerPerLapsedAgent() {
      AgentStore other = secondInstance();
      available("alice", 1, SALES);
      available("bob", 1, SALES);
      store.renewPresence("alice", START.plusSeconds(30));
      other.renewPresence("bob", START.plusSeconds(30));
      List<List<String>> taken = Concurrently.run(8, i -> (i % 2 == 0 ? store : other)
          .takeLapsedAgents(START.plusSeconds(31), 10));
      assertThat(taken.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrder("alice", "bob");
      assertThat(other.find("alice").orElseThrow().presence()).isEqualTo(AgentRecord.OFFLINE);
    }

    @Test
    @DisplayName("16 claims from two instances for 3 free slots: exactly 3 succeed, the agent ends at capacity")
    void lastSlots() {
      AgentStore other = secondInstance();
      available("alice", 3, SALES);
      List<Optional<String>> won = Concurrently.run(16, i ->
          (i % 2 == 0 ? store : other).claim(SALES, "c" + i, Set.of(), START));
      assertThat(won.stream().filter(Optional::isPresent).count()).isEqualTo(3);
      AgentRecord alice = other.find("alice").orElseThrow();
      assertThat(alice.load()).isEqualTo(3);
      assertThat(store.find("alice").orElseThrow().slots()).isEqualTo(alice.slots());
    }

    @Test
    @DisplayName("two instances racing for an agent's last free slot: exactly one gets it, every time")
    void lastSlotRepeated() {
      AgentStore other = secondInstance();
      available("alice", 1, SALES);
      for (int round = 0; round < 10; round++) {
        String a = "a" + round;
        String b = "b" + round;
        List<Optional<String>> won = Concurrently.run(2, i -> (i == 0 ? store : other)
            .claim(SALES, i == 0 ? a : b, Set.of(), START));
        assertThat(won.stream().filter(Optional::isPresent).count()).as("round " + round).isEqualTo(1);
        String holder = won.get(0).isPresent() ? a : b;
        assertThat(store.find("alice").orElseThrow().slots()).containsOnlyKeys(holder);
        assertThat(store.release("alice", holder)).isTrue();
      }
    }

    @Test
    @DisplayName("8 sweeps from two instances taking one due offer: exactly one gets it")
    void oneSweeperPerOffer() {
      AgentStore other = secondInstance();
      store.offer(new AgentOffer("c1", "alice", START));
      List<List<AgentOffer>> taken = Concurrently.run(8, i -> (i % 2 == 0 ? store : other)
          .takeDueOffers(START.plusSeconds(1), Duration.ofMinutes(1), 10));
      assertThat(taken.stream().mapToInt(List::size).sum()).isEqualTo(1);
    }

    @Test
    @DisplayName("holds and releases from two instances at once lose no slot")
    void holdsAndReleases() {
      AgentStore other = secondInstance();
      store.register("alice", 1, Set.of(SALES), clock.instant());
      Concurrently.run(16, i -> (i % 2 == 0 ? store : other).hold("alice", "c" + i, START));
      assertThat(store.find("alice").orElseThrow().load()).isEqualTo(16);
      Concurrently.run(8, i -> (i % 2 == 0 ? store : other).release("alice", "c" + i));
      assertThat(other.find("alice").orElseThrow().slots()).containsOnlyKeys("c8", "c9", "c10", "c11", "c12", "c13",
          "c14", "c15");
    }
  }
}
