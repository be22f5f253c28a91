package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.test.RecordingSmsProvider;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A mapping whose provider the gateway does not have fails before the first message. */
class ProviderBindingTest {

  private final TestWorld world = new TestWorld();

  private SmsGateway gateway(String providerName, ConversationService service) {
    return SmsGateway.builder().provider(RecordingSmsProvider.named(providerName)).clock(world.clock)
        .optOutStore(world.optOuts).inboundHandler(service).listener(service.gatewayListener()).build();
  }

  @Test
  @DisplayName("bind(gateway) refuses a mapping whose provider the gateway does not have, naming mapping and provider")
  void bindRefusesUnknownProvider() {
    ConversationService service = world.service().build();
    try (SmsGateway gateway = gateway("smsc", service)) {
      assertThatThrownBy(() -> service.bind(gateway)).isInstanceOf(SmsConfigurationException.class)
          .hasMessageContaining("mappings[sales].provider").hasMessageContaining("'smpp'")
          .hasMessageContaining("smsc");
    }
  }

  @Test
  @DisplayName("bind(gateway) accepts mappings whose providers the gateway has, and sends through it")
  void bindSendsThroughTheGateway() throws Exception {
    ConversationService service = world.service().build();
    RecordingSmsProvider smpp = RecordingSmsProvider.named("smpp");
    try (SmsGateway gateway = SmsGateway.builder().provider(smpp).clock(world.clock).optOutStore(world.optOuts)
        .inboundHandler(service).listener(service.gatewayListener()).build()) {
      service.bind(gateway);
      gateway.start();
      service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null).get(5, TimeUnit.SECONDS);
      assertThat(smpp.submitted()).hasSize(1);
      assertThat(world.sender.sent).isEmpty();
    }
  }

  @Test
  @DisplayName("a service built after its gateway checks the providers at build()")
  void buildRefusesUnknownProvider() {
    assertThatThrownBy(() -> world.service().providerNames(List.of("smsc", "twilio-main")).build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("mappings[sales].provider")
        .hasMessageContaining("smsc, twilio-main");
    assertThat(world.service().providerNames(List.of("smpp")).build()).isNotNull();
  }
}
