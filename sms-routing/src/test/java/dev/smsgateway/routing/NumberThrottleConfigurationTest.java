package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.OriginatorThrottles;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.ManualScheduler;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.RecordingSmsProvider;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A business number's own sending rate ({@code partsPerSecond}) in the routing configuration, used by the gateway. */
class NumberThrottleConfigurationTest {

  static final String YAML = """
      mappings:
        - code: sales
          provider: primary
          defaultCountry: US
          numbers:
            - { number: "+14155550199", displayName: Acme Sales, queue: sales, partsPerSecond: 4 }
            - { number: "(415) 555-0198", displayName: Acme Sales 2, queue: sales }
      """;

  static final Originator FAST = Originator.longCode(PhoneNumber.of("+14155550199"));
  static final Originator DEFAULT = Originator.longCode(PhoneNumber.of("+14155550198"));

  @Test
  @DisplayName("partsPerSecond is read per number, kept by toBuilder, and listed for the gateway")
  void readAndListed() {
    RoutingConfiguration config = RoutingConfiguration.parseYaml(YAML);
    assertThat(config.number(FAST).orElseThrow().partsPerSecond()).hasValue(4);
    assertThat(config.number(DEFAULT).orElseThrow().partsPerSecond()).isEmpty();
    assertThat(config.partsPerSecondByNumber()).isEqualTo(Map.of(FAST, 4.0));
    Mapping sales = config.mapping("sales").orElseThrow();
    assertThat(sales.toBuilder().build()).isEqualTo(sales);
    assertThat(RoutingConfiguration.parseJson("""
        {"mappings": [{"code": "sales", "provider": "primary", "defaultCountry": "US", "numbers": [
          {"number": "+14155550199", "displayName": "Acme Sales", "queue": "sales", "partsPerSecond": 4},
          {"number": "(415) 555-0198", "displayName": "Acme Sales 2", "queue": "sales"}]}]}
        """)).isEqualTo(config);
  }

  @Test
  @DisplayName("the gateway sends the configured number at its own rate and the other at the long-code default")
  void honouredByTheGateway() {
    RoutingConfiguration config = RoutingConfiguration.parseYaml(YAML);
    MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    ManualScheduler scheduler = new ManualScheduler(clock);
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    try (SmsGateway gateway = SmsGateway.builder().provider(primary).defaultRegion("US").clock(clock)
        .scheduler(scheduler)
        .originatorThrottles(OriginatorThrottles.defaults().toBuilder()
            .numbers(config.partsPerSecondByNumber()).build())
        .build()) {
      gateway.start();
      for (int i = 0; i < 6; i++) {
        gateway.send(OutboundSms.builder().to("+14155550100").from(FAST.address()).body("f" + i).build());
        gateway.send(OutboundSms.builder().to("+14155550100").from(DEFAULT.address()).body("d" + i).build());
      }
      assertThat(primary.submitted()).extracting(SubmitRequest::body).containsExactly("f0", "d0", "f1", "f2", "f3");
      scheduler.advance(Duration.ofMillis(500));
      assertThat(primary.submitted()).extracting(SubmitRequest::body).containsExactly("f0", "d0", "f1", "f2", "f3",
          "f4", "f5");
    }
  }

  @Test
  @DisplayName("a rate that is not a positive number is refused with the field's path")
  void validation() {
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(YAML.replace("partsPerSecond: 4", "partsPerSecond: 0")))
        .isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("mappings[sales].numbers[0].partsPerSecond").hasMessageContaining("must be > 0");
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(YAML.replace("partsPerSecond: 4",
        "partsPerSecond: fast"))).isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("mappings[sales].numbers[0].partsPerSecond").hasMessageContaining("not a text");
  }
}
