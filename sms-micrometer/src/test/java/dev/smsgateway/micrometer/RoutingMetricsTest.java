package dev.smsgateway.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoutingMetricsTest {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550100"));

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RoutingMetrics metrics = new RoutingMetrics(registry, Tags.of("app", "test"));

  static Conversation open(String id) {
    return new Conversation(id, CUSTOMER, BUSINESS, "sales", Conversation.State.ASSIGNED,
        new RouteTarget.Agent("a1"), T0, T0, null, null, 1);
  }

  static Conversation ended(String id, Conversation.EndReason reason) {
    return new Conversation(id, CUSTOMER, BUSINESS, "sales", Conversation.State.ENDED,
        new RouteTarget.Agent("a1"), T0, T0, T0.plusSeconds(60), reason, 2);
  }

  static InboundSms inbound() {
    return InboundSms.builder().provider("smpp").providerMessageId("x").from(CUSTOMER)
        .to(BUSINESS).body("hi").receivedAt(T0).build();
  }

  double decisions(String decision) {
    return registry.get("sms.routing.decisions").tags("app", "test", "decision", decision).counter().count();
  }

  @Test
  void countsDecisionsByKindAndOpenConversations() {
    metrics.onAssigned(open("c1"), "a1", "your order shipped");
    metrics.onAssigned(open("c2"), "a2", null);
    metrics.onAssigned(open("c2"), "a3", null); // reassigned: still one open conversation
    metrics.onMessage(open("c1"), inbound());
    metrics.onUnrouted(inbound(), "no mapping for the business number");

    assertThat(decisions("originator")).isEqualTo(1.0);
    assertThat(decisions("assigned")).isEqualTo(2.0);
    assertThat(decisions("unrouted")).isEqualTo(1.0);
    assertThat(registry.get("sms.routing.messages").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("sms.conversations.open").tags("app", "test").gauge().value()).isEqualTo(2.0);

    metrics.onEnded(ended("c1", Conversation.EndReason.IDLE_TIMEOUT));
    metrics.onEnded(ended("c2", Conversation.EndReason.OPT_OUT));
    metrics.onEnded(ended("c2", Conversation.EndReason.OPT_OUT)); // a repeated event does not go negative

    assertThat(registry.get("sms.conversations.open").gauge().value()).isZero();
    assertThat(registry.get("sms.conversations.ended").tags("reason", "idle_timeout").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get("sms.conversations.ended").tags("reason", "opt_out").counter().count()).isEqualTo(2.0);
    assertThat(metrics.openConversations()).isZero();
  }
}
