package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A customer's national number in an SMPP MO is read with the default country of the mapping that holds the business
 * number it was sent to, not only with the provider's region. Real SMPP provider against the SMSC simulator.
 */
class InboundCountryTest {

  private static final String UK_NUMBER = "+447911123400";
  private SmscSimulator smsc;
  private SmsGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  @Test
  @DisplayName("a national source address sent to a GB mapping's number is read as a GB number on a US provider")
  void mappingCountry() throws Exception {
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
    Clock clock = Clock.systemUTC();
    RoutingConfiguration routing = RoutingConfiguration.builder()
        .addMapping(Mapping.builder("us").provider("smpp").defaultCountry("US")
            .addNumber(n -> n.number("+14155550100").displayName("ACME US").queue("us")))
        .addMapping(Mapping.builder("uk").provider("smpp").defaultCountry("GB")
            .addNumber(n -> n.number(UK_NUMBER).displayName("ACME UK").queue("uk")))
        .build();
    InMemoryConversationStore store = new InMemoryConversationStore();
    InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
    ConversationService conversations = ConversationService.builder().configuration(routing)
        .originatorStore(new InMemoryOriginatorStore(clock)).optOutStore(optOuts).conversationStore(store)
        .clock(clock).automaticSweeps(false).build();
    SmppSmsProvider smpp = SmppSmsProvider.builder().name("smpp").host(smsc.host()).port(smsc.port())
        .systemId("esme").password("pw").defaultRegion("US")
        .inboundRegions(number -> conversations.router().configuration().mappingFor(number)
            .map(Mapping::defaultCountry))
        .build();
    gateway = SmsGateway.builder().provider(smpp).defaultRegion("US").optOutStore(optOuts)
        .messageStore(new InMemoryMessageStore(clock)).inboundHandler(conversations)
        .listener(conversations.gatewayListener()).build();
    conversations.bind(gateway);
    gateway.start();
    assertThat(smsc.awaitBound(1, Duration.ofSeconds(10))).isTrue();

    assertThat(smsc.deliverMo("07911123456", UK_NUMBER, "Hello from London")).isZero();
    assertThat(store.findOpen(PhoneNumber.of("+447911123456"), Originator.longCode(PhoneNumber.of(UK_NUMBER))))
        .isPresent();
    assertThat(smsc.deliverMo("4155550123", "+14155550100", "Hello from SF")).isZero();
    assertThat(store.findOpen(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of("+14155550100"))))
        .isPresent();
  }
}
