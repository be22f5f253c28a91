package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsValidationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Mapping settings mean what they say: no setting that nothing reads, and the number limits per provider type. */
class MappingFidelityTest {

  private static Mapping.Builder withNumbers(ProviderType type, int count) {
    Mapping.Builder b = Mapping.builder("m").provider("p").defaultCountry("US").providerType(type);
    for (int i = 0; i < count; i++) {
      String number = "+1415555" + String.format("%04d", 100 + i);
      b.addNumber(n -> n.number(number).displayName("Line").queue("q"));
    }
    return b;
  }

  @Test
  @DisplayName("an EUM mapping holds at most 5 numbers, any other at most 15")
  void numberLimits() {
    assertThat(withNumbers(ProviderType.EUM, 5).build().numbers()).hasSize(5);
    assertThatThrownBy(() -> withNumbers(ProviderType.EUM, 6).build())
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("mappings[m].numbers"))
        .hasMessage("mappings[m].numbers must hold 1 to 5 business numbers on an EUM provider: 6");
    for (ProviderType type : new ProviderType[] {ProviderType.SMPP, ProviderType.TWILIO, ProviderType.OTHER}) {
      assertThat(withNumbers(type, 15).build().numbers()).hasSize(15);
      assertThatThrownBy(() -> withNumbers(type, 16).build()).hasMessageContaining("must hold 1 to 15 business numbers: 16");
    }
  }

  @Test
  @DisplayName("YAML: providerType EUM applies the limit of 5")
  void yamlEumLimit() {
    StringBuilder yaml = new StringBuilder("mappings:\n  - code: eum\n    provider: eum-us\n    providerType: EUM\n"
        + "    defaultCountry: US\n    numbers:\n");
    for (int i = 0; i < 6; i++) {
      yaml.append("      - { number: \"+1415555").append(100 + i).append("1\", displayName: Line, queue: q }\n");
    }
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(yaml.toString()))
        .hasMessage("mappings[eum].numbers must hold 1 to 5 business numbers on an EUM provider: 6");
    assertThat(RoutingConfiguration.parseYaml(yaml.toString().replace("providerType: EUM", "providerType: smpp"))
        .mappings().get(0).providerType()).isEqualTo(ProviderType.SMPP);
  }

  @Test
  @SuppressWarnings("removal")
  @DisplayName("webhookPath, which nothing served or read, is refused with what to do instead")
  void webhookPathRefused() {
    assertThatThrownBy(() -> withNumbers(ProviderType.TWILIO, 1).webhookPath("/sms/sales").build())
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("mappings[m].webhookPath"))
        .hasMessageContaining("is no longer a setting").hasMessageContaining("Serve each provider's webhook");
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml("mappings:\n  - code: s\n    provider: p\n"
        + "    defaultCountry: US\n    webhookPath: /sms/s\n    numbers:\n"
        + "      - { number: \"+14155550100\", displayName: Line, queue: q }\n"))
        .hasMessageStartingWith("mappings[s].webhookPath is no longer a setting");
  }
}
