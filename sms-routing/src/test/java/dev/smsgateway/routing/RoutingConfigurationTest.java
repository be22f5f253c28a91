package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsValidationException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoutingConfigurationTest {

  static RoutingConfiguration builtInCode() {
    return RoutingConfiguration.builder()
        .providerAnswersKeywords("twilio-main", true)
        .addMapping(Mapping.builder("sales")
            .description("Sales line")
            .provider("smpp-primary")
            .defaultCountry("US")
            .delivery(Delivery.QUEUE)
            .originatorTtl(Duration.ofHours(24))
            .providerType(ProviderType.SMPP)
            .chatControl(ChatControl.builder()
                .idleTimeout(Duration.ofMinutes(15))
                .idleTimeoutMessage("Closed after 15 minutes without messages.")
                .maxChatsMessage("Everyone is busy, please hold on.")
                .agentAcceptTimeout(Duration.ofSeconds(90)))
            .helpReply("Acme Sales. Reply STOP to opt out.")
            .keyword("HOURS", "Open 9-5, Monday to Friday.")
            .addNumber(n -> n.number("+14155550199").displayName("Acme Sales").queue("sales")
                .keyword("PRICE", "See acme.example/prices"))
            .addNumber(n -> n.number("(415) 555-0198").displayName("Acme Sales 2").queue("sales-2")))
        .addMapping(Mapping.builder("support")
            .provider("twilio-main")
            .defaultCountry("GB")
            .delivery(Delivery.CONTACT_FLOW)
            .originatorTtl(Duration.ofHours(2))
            .chatControl(ChatControl.builder().chatDuration(Duration.ofHours(2)))
            .addNumber(n -> n.number("+447911123456").displayName("Acme Support")
                .contactFlowId("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
                .connectPhoneNumberArn(
                    "arn:aws:connect:eu-west-2:123456789012:phone-number/11111111-2222-3333-4444-555555555555")))
        .build();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(RoutingConfigurationTest.class.getResource("/" + name).toURI());
  }

  @Test
  @DisplayName("the YAML file, the JSON file and the builders give the same model")
  void sameModelThreeWays() throws Exception {
    RoutingConfiguration code = builtInCode();
    assertThat(RoutingConfiguration.load(resource("routing.yaml"))).isEqualTo(code);
    assertThat(RoutingConfiguration.load(resource("routing.json"))).isEqualTo(code);
  }

  @Test
  @DisplayName("the model reads numbers in the mapping's country and answers lookups")
  void lookups() {
    RoutingConfiguration c = builtInCode();
    Originator second = Originator.longCode(PhoneNumber.of("+14155550198"));
    assertThat(c.mappingFor(second)).map(Mapping::code).contains("sales");
    assertThat(c.number(second)).map(BusinessNumber::displayName).contains("Acme Sales 2");
    assertThat(c.findNumber("415-555-0198")).map(BusinessNumber::number).contains(second);
    assertThat(c.findNumber("+1 415 555 0142")).isEmpty();
    assertThat(c.providerAnswersKeywords("twilio-main")).isTrue();
    assertThat(c.providerAnswersKeywords("smpp-primary")).isFalse();
    Mapping sales = c.mapping("sales").orElseThrow();
    assertThat(sales.chatControl().idleTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(sales.chatControl().agentAcceptTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(sales.toBuilder().build()).isEqualTo(sales);
    assertThat(sales.chatControl().chatDuration()).isEmpty();
    assertThat(c.mapping("support").orElseThrow().chatControl().chatDuration()).contains(Duration.ofHours(2));
    assertThat(sales.toString()).doesNotContain("4155550199");
  }

  static Stream<Arguments> invalidYaml() {
    return Stream.of(
        Arguments.of("defaultCountry: US", "defaultCountry: XX", "mappings[sales].defaultCountry", "'XX'"),
        Arguments.of("defaultCountry: US", "defaultCountry: ''", "mappings[sales].defaultCountry", "is blank"),
        Arguments.of("provider: smpp-primary", "provider: 'smpp primary'", "mappings[sales].provider", "'smpp primary'"),
        Arguments.of("delivery: QUEUE", "delivery: EMAIL", "mappings[sales].delivery", "'EMAIL'"),
        Arguments.of("originatorTtl: 24h", "originatorTtl: 31d", "mappings[sales].originatorTtl", "31d"),
        Arguments.of("originatorTtl: 24h", "originatorTtl: soon", "mappings[sales].originatorTtl", "'soon'"),
        Arguments.of("idleTimeout: 15m", "idleTimeout: 61m", "mappings[sales].chatControl.idleTimeout", "61m"),
        Arguments.of("idleTimeout: 15m", "idleTimeout: 30s", "mappings[sales].chatControl.idleTimeout", "30s"),
        Arguments.of("agentAcceptTimeout: 90s", "agentAcceptTimeout: 1s",
            "mappings[sales].chatControl.agentAcceptTimeout", "1s"),
        Arguments.of("suppressSystemMessages: false", "suppressSystemMessages: maybe",
            "mappings[sales].chatControl.suppressSystemMessages", "'maybe'"),
        Arguments.of("chatDuration: 2h", "chatDuration: 30m", "mappings[support].chatControl.chatDuration",
            "60 to 10080"),
        Arguments.of("chatDuration: 2h", "chatDuration: 8d", "mappings[support].chatControl.chatDuration",
            "60 to 10080"),
        Arguments.of("idleTimeout: 15m", "idleTimout: 15m", "mappings[sales].chatControl.idleTimout",
            "is not a known setting"),
        Arguments.of("queue: sales-2", "queue: 'sales 2'", "mappings[sales].numbers[1].queue", "'sales 2'"),
        Arguments.of("queue: sales-2", "contactFlowId: abc", "mappings[sales].numbers[1].queue",
            "is required when delivery is QUEUE"),
        Arguments.of("displayName: Acme Sales 2", "displayName: ''", "mappings[sales].numbers[1].displayName", "is blank"),
        Arguments.of("\"(415) 555-0198\"", "\"(415) 555-01\"", "mappings[sales].numbers[1].number", "415"),
        Arguments.of("\"(415) 555-0198\"", "\"+14155550199\"", "mappings[sales].numbers[1].number",
            "repeats numbers[0]"),
        Arguments.of("number: \"+14155550199\"", "number: +14155550199", "mappings[sales].numbers[0].number",
            "must be a quoted string"),
        Arguments.of("providerType: SMPP", "providerType: SMTP", "mappings[sales].providerType", "'SMTP'"),
        Arguments.of("{ keyword: HOURS,", "{ keyword: STOP,", "mappings[sales].keywords[0].keyword",
            "is reserved for OPT_OUT"),
        Arguments.of("{ keyword: PRICE,", "{ keyword: 'PRICE!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!PRICEPRICEPRICEPRICEPRICEPRICEPRICE',",
            "mappings[sales].numbers[0].keywords[0].keyword", "1-30 letters or digits"),
        Arguments.of("contactFlowId: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "queue: support",
            "mappings[support].numbers[0].contactFlowId", "is required when delivery is CONTACT_FLOW"),
        Arguments.of("connectPhoneNumberArn: arn:aws:connect:eu-west-2:123456789012:phone-number/",
            "connectPhoneNumberArn: arn:aws:sns:eu-west-2:123456789012:phone-number/",
            "mappings[support].numbers[0].connectPhoneNumberArn", "arn:aws:sns"),
        Arguments.of("code: support", "code: sales", "mappings[sales].code", "repeats the code of mappings[0]"),
        Arguments.of("number: \"+447911123456\"", "number: \"+14155550199\"", "mappings[support].numbers[0].number",
            "already belongs to mappings[sales]"),
        Arguments.of("    answersKeywords: true", "    answersKeywords: 1", "providers[twilio-main].answersKeywords",
            "must be true or false"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("invalidYaml")
  @DisplayName("every validation error names the mapping, the field and the value")
  void validation(String from, String to, String field, String mentions) throws Exception {
    String yaml = java.nio.file.Files.readString(resource("routing.yaml"));
    assertThat(yaml).contains(from);
    String broken = yaml.replace(from, to);
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml(broken))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).startsWith(field + " ").contains(mentions);
        });
  }

  @Test
  @DisplayName("more than 15 numbers, no numbers, and bad syntax are refused with the field named")
  void limitsAndSyntax() {
    Mapping.Builder many = Mapping.builder("big").provider("p").defaultCountry("US");
    for (int i = 0; i < 16; i++) {
      String n = String.format("+1415555%04d", 100 + i);
      many.addNumber(b -> b.number(n).displayName("n").queue("q"));
    }
    assertThatThrownBy(many::build).isInstanceOfSatisfying(SmsValidationException.class,
        e -> assertThat(e.getMessage()).isEqualTo("mappings[big].numbers must hold 1 to 15 business numbers: 16"));
    assertThatThrownBy(() -> Mapping.builder("empty").provider("p").defaultCountry("US").build())
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.field()).isEqualTo("mappings[empty].numbers"));
    assertThatThrownBy(() -> Mapping.builder(" ").build()).isInstanceOfSatisfying(SmsValidationException.class,
        e -> assertThat(e.field()).isEqualTo("mappings[?].code"));
    assertThatThrownBy(() -> RoutingConfiguration.parseYaml("mappings: [ {code: a, "))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("configuration");
          assertThat(e.getMessage()).contains("is not valid YAML at line");
        });
    assertThatThrownBy(() -> RoutingConfiguration.parseJson("{\"mappings\": 3}"))
        .isInstanceOfSatisfying(SmsValidationException.class,
            e -> assertThat(e.getMessage()).isEqualTo("mappings must be a list of mappings, not a number"));
    assertThatThrownBy(() -> RoutingConfiguration.parseJson("{\"mapings\": []}"))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("mapings"));
    assertThatThrownBy(() -> RoutingConfiguration.parseJson("[" .repeat(100) + "]".repeat(100)))
        .isInstanceOf(SmsValidationException.class);
    assertThatThrownBy(() -> RoutingConfiguration.parseJson(""))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("configuration"));
  }

  @Test
  @DisplayName("durations read as 90s, 10m, 24h, 7d, 500ms or ISO-8601")
  void durations() {
    for (String[] c : new String[][] {{"90s", "PT1M30S"}, {"10m", "PT10M"}, {"24h", "PT24H"}, {"7d", "PT168H"},
        {"500ms", "PT0.5S"}, {"PT2H", "PT2H"}}) {
      assertThat(ConfigurationReader.duration("x", com.fasterxml.jackson.databind.node.TextNode.valueOf(c[0])))
          .isEqualTo(Duration.parse(c[1]));
    }
  }
}
