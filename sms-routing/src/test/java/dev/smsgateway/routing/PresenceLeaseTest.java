package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsValidationException;
import dev.smsgateway.store.AgentRecord;
import dev.smsgateway.store.InMemoryAgentStore;
import dev.smsgateway.test.ManualScheduler;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The presence lease setting: its default, its checks, and who renews it. */
class PresenceLeaseTest {

  private final TestWorld world = new TestWorld();
  private final InMemoryAgentStore agents = new InMemoryAgentStore();

  /** Accept timeout 10 s, idle 1 min: sweeps every second (a tenth of the smallest timeout). */
  private static RoutingConfiguration tenSecondAccept() {
    return RoutingConfiguration.builder().addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("US")
        .chatControl(ChatControl.builder().idleTimeout(Duration.ofMinutes(1)).agentAcceptTimeout(Duration.ofSeconds(10)))
        .addNumber(n -> n.number(TestWorld.SALES_1.address()).displayName("Acme Sales").queue("sales"))).build();
  }

  private ConversationService.Builder service() {
    return ConversationService.builder().configuration(tenSecondAccept()).originatorStore(world.originators)
        .optOutStore(world.optOuts).conversationStore(world.conversations).clock(world.clock).sender(world.sender);
  }

  @Test
  @DisplayName("with a shared agent store and automatic sweeps, the default lease is half the accept timeout")
  void defaultLease() {
    try (ConversationService s = service().agentStore(agents).build()) {
      s.registerAgent("alice", 2, Set.of("sales"));
      assertThat(agents.presenceLease("alice")).contains(world.clock.instant().plusSeconds(5));
    }
  }

  @Test
  @DisplayName("sweeping by hand without a lease given: no presence lease (the agent never lapses)")
  void noLeaseWhenSweepingByHand() {
    try (ConversationService s = service().agentStore(agents).automaticSweeps(false).build()) {
      s.registerAgent("alice", 2, Set.of("sales"));
      s.setPresence("alice", Presence.AVAILABLE);
      world.clock.advance(Duration.ofHours(1));
      s.sweep();
      assertThat(agents.presenceLease("alice")).isEmpty();
      assertThat(agents.find("alice").orElseThrow().presence()).isEqualTo(AgentRecord.AVAILABLE);
    }
  }

  @Test
  @DisplayName("a lease shorter than three sweep periods, or not positive, is refused, naming presenceLease")
  void refused() {
    assertThatThrownBy(() -> service().agentStore(agents).presenceLease(Duration.ofSeconds(2)).build())
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("presenceLease"))
        .hasMessageContaining("3 sweep periods");
    assertThatThrownBy(() -> service().agentStore(agents).sweepPeriod(Duration.ofSeconds(10))
        .presenceLease(Duration.ofSeconds(20)).build())
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("presenceLease"));
    assertThatThrownBy(() -> service().presenceLease(Duration.ZERO))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("presenceLease"));
  }

  @Test
  @DisplayName("scheduleSweeps refuses a period that would not renew the lease three times")
  void scheduleTooRarely() {
    try (ConversationService s = service().agentStore(agents).build()) {
      ManualScheduler scheduler = new ManualScheduler(world.clock);
      assertThatThrownBy(() -> s.scheduleSweeps(scheduler, Duration.ofSeconds(2)))
          .isInstanceOfSatisfying(SmsValidationException.class,
              e -> assertThat(e.field()).isEqualTo("presenceLease"));
      assertThat(scheduler.pendingTasks()).isZero();
      s.scheduleSweeps(scheduler, Duration.ofSeconds(1)).cancel(false);
    }
  }

  @Test
  @DisplayName("the instance's sweeps renew its agents' leases; after disconnectAgent they lapse and the agent goes "
      + "offline")
  void renewedUntilDisconnected() {
    try (ConversationService s = service().agentStore(agents).automaticSweeps(false)
        .presenceLease(Duration.ofSeconds(5)).build()) {
      s.registerAgent("alice", 2, Set.of("sales"));
      s.setPresence("alice", Presence.AVAILABLE);
      for (int beat = 0; beat < 5; beat++) {
        world.clock.advance(Duration.ofSeconds(4));
        s.sweep();
        assertThat(agents.presenceLease("alice")).contains(world.clock.instant().plusSeconds(5));
      }
      assertThat(s.presence("alice")).isEqualTo(Presence.AVAILABLE);

      s.disconnectAgent("alice");
      world.clock.advance(Duration.ofSeconds(4));
      s.sweep();
      assertThat(s.presence("alice")).isEqualTo(Presence.AVAILABLE);
      world.clock.advance(Duration.ofSeconds(1));
      s.sweep();
      assertThat(s.presence("alice")).isEqualTo(Presence.OFFLINE);
      assertThat(agents.presenceLease("alice")).isEmpty();
    }
  }
}
