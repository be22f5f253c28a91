package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.CUSTOMER_2;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The routing configuration is replaced at run time: checked whole first, open conversations keep their target. */
class ConfigurationSwapTest {

  private static final Originator SUPPORT = Originator.longCode(PhoneNumber.of("+14155550188"));
  private final TestWorld world = new TestWorld();
  private ConversationService service;

  @BeforeEach
  void setUp() {
    service = world.service().providerNames(List.of("smpp", "twilio-main")).build();
    service.registerAgent("alice", 2, Set.of());
    service.registerAgent("vera", 2, Set.of("vip"));
    service.setPresence("alice", Presence.AVAILABLE);
    service.setPresence("vera", Presence.AVAILABLE);
  }

  /** TestWorld's configuration with SALES_1 moved to queue "vip", a support mapping added and 1-minute idle timeouts. */
  private static RoutingConfiguration next(String supportProvider) {
    RoutingConfiguration.Builder b = RoutingConfiguration.builder();
    for (Mapping m : TestWorld.configuration().mappings()) {
      if (m.code().equals("sales")) {
        b.addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("US").originatorTtl(TestWorld.TTL)
            .chatControl(ChatControl.builder().idleTimeout(Duration.ofMinutes(1)))
            .addNumber(n -> n.number(SALES_1.address()).displayName("Acme VIP").queue("vip")));
      } else {
        b.addMapping(m);
      }
    }
    return b.addMapping(Mapping.builder("support").provider(supportProvider).defaultCountry("US")
        .addNumber(n -> n.number(SUPPORT.address()).displayName("Support").queue("vip"))).build();
  }

  @Test
  @DisplayName("new numbers and queues route at once; open conversations keep their agent; new timeouts apply")
  void replaced() throws Exception {
    service.handle(world.inbound(CUSTOMER, SUPPORT, "before"));
    assertThat(world.events.events).containsExactly("unrouted");
    String alices = service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null)
        .get(5, TimeUnit.SECONDS).conversationId();

    service.reconfigure(next("smpp"));
    assertThat(service.router().configuration()).isEqualTo(next("smpp"));

    service.handle(world.inbound(CUSTOMER, SUPPORT, "after"));
    assertThat(world.conversations.findOpen(CUSTOMER, SUPPORT).orElseThrow().target())
        .isEqualTo(new RouteTarget.Agent("vera"));
    service.handle(world.inbound(CUSTOMER, SALES_1, "still alice?"));
    assertThat(service.conversation(alices).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("alice"));
    service.handle(world.inbound(CUSTOMER_2, SALES_1, "new customer"));
    assertThat(world.conversations.findOpen(CUSTOMER_2, SALES_1).orElseThrow().target())
        .isEqualTo(new RouteTarget.Agent("vera"));

    world.clock.advance(Duration.ofMinutes(1));
    service.sweep();
    assertThat(service.conversation(alices).orElseThrow().endReason()).isEqualTo(Conversation.EndReason.IDLE_TIMEOUT);
  }

  @Test
  @DisplayName("a conversation waiting in a queue the new configuration no longer names is still assigned")
  void waitingKeepsItsQueue() {
    service.handle(world.inbound(CUSTOMER, SALES_1, "anyone?"));
    Conversation waiting = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    assertThat(waiting.target()).isEqualTo(new RouteTarget.Queue("sales"));
    service.reconfigure(next("smpp"));
    assertThat(service.conversation(waiting.id()).orElseThrow().target()).isEqualTo(new RouteTarget.Queue("sales"));
    service.registerAgent("sam", 1, Set.of("sales"));
    service.setPresence("sam", Presence.AVAILABLE);
    assertThat(service.conversation(waiting.id()).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("sam"));
  }

  @Test
  @DisplayName("a configuration that cannot serve is refused with why; the old one stays in force")
  void refused() {
    RoutingConfiguration before = service.router().configuration();
    assertThatThrownBy(() -> service.reconfigure(next("smpp-typo"))).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("mappings[support].provider").hasMessageContaining("smpp-typo");
    assertThat(service.router().configuration()).isSameAs(before);
    service.handle(world.inbound(CUSTOMER, SUPPORT, "hello"));
    assertThat(world.events.events).containsExactly("unrouted");

    ConversationService noFlows = ConversationService.builder()
        .configuration(RoutingConfiguration.builder().addMapping(TestWorld.configuration().mappings().get(0)).build())
        .originatorStore(world.originators).optOutStore(world.optOuts).conversationStore(world.conversations)
        .clock(world.clock).automaticSweeps(false).build();
    assertThatThrownBy(() -> noFlows.reconfigure(TestWorld.configuration()))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("ContactFlowDelivery");
    assertThat(noFlows.router().configuration().mappings()).hasSize(1);
  }
}
