package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link Delivery#FLEX}: the mapping's {@link FlexRouting}, read from YAML and checked at build. */
class FlexDeliveryConfigurationTest {

  static final String WS = "WS" + "0123456789abcdef0123456789abcdef";
  static final String WW = "WW" + "0123456789abcdef0123456789abcdef";
  static final String TC = "TC" + "0123456789abcdef0123456789abcdef";
  static final String IS = "IS" + "0123456789abcdef0123456789abcdef";

  static String yaml(String flex) {
    return """
        mappings:
          - code: support
            provider: twilio
            defaultCountry: US
            delivery: flex
        """ + flex + """
            numbers:
              - number: "+14155550100"
                displayName: Support
                queue: support
        """;
  }

  static String flex(String ws, String ww, String tc, String is) {
    return "    flex: {workspaceSid: " + ws + ", workflowSid: " + ww + ", taskChannel: " + tc
        + ", conversationServiceSid: " + is + "}\n";
  }

  @Test
  void readsTheFlexTargetOfAFlexMapping() {
    Mapping m = RoutingConfiguration.parseYaml(yaml(flex(WS, WW, "sms", IS))).mapping("support").orElseThrow();
    assertThat(m.delivery()).isEqualTo(Delivery.FLEX);
    assertThat(m.flex()).contains(new FlexRouting(WS, WW, "sms", IS));
    assertThat(m.flex().orElseThrow().taskChannelIsSid()).isFalse();
    assertThat(m.toBuilder().build()).isEqualTo(m);
    Mapping bySid = RoutingConfiguration.parseYaml(yaml(flex(WS, WW, TC, IS))).mapping("support").orElseThrow();
    assertThat(bySid.flex().orElseThrow().taskChannelIsSid()).isTrue();
    assertThat(bySid).isNotEqualTo(m);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // a SID of another resource in each place, a short one, a name with upper case
      "WW0123456789abcdef0123456789abcdef|" + WW + "|sms|" + IS + "|mappings[support].flex.workspaceSid|TaskRouter workspace SID",
      WS + "|WW0123456789abcdef0123456789abcde|sms|" + IS + "|mappings[support].flex.workflowSid|TaskRouter workflow SID",
      WS + "|" + WW + "|TC0123|" + IS + "|mappings[support].flex.taskChannel|TaskRouter task channel SID",
      WS + "|" + WW + "|SMS Channel|" + IS + "|mappings[support].flex.taskChannel|unique name",
      WS + "|" + WW + "|sms|CH0123456789abcdef0123456789abcdef|mappings[support].flex.conversationServiceSid|Conversations service SID",
  })
  void refusesSidsOfTheWrongPrefixOrShape(String ws, String ww, String tc, String is, String field, String mentions) {
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(yaml(flex(ws, ww, "\"" + tc + "\"", is))))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(mentions);
        });
  }

  @Test
  void aFlexMappingNeedsItsTargetAndOthersRefuseOne() {
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(yaml("")))
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("mappings[support].flex"));
    String queueWithFlex = yaml(flex(WS, WW, "sms", IS)).replace("delivery: flex", "delivery: queue");
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(queueWithFlex))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("mappings[support].flex");
          assertThat(e.getMessage()).contains("must not be set when delivery is QUEUE");
        });
    String typo = yaml("    flex: {workspaceSid: " + WS + ", workflow: " + WW + "}\n");
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(typo))
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).startsWith("mappings[support].flex."));
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(yaml(flex(WS, WW, "sms", IS)).replace("delivery: flex",
        "delivery: flexx"))).isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.getMessage()).contains("FLEX"));
  }

  @Test
  void aFlexNumberStillNamesAQueueAndNoContactFlow() {
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(yaml(flex(WS, WW, "sms", IS)).replace("queue: support",
        "contactFlowId: flow-1"))).isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("mappings[support].numbers[0].queue"));
  }
}
