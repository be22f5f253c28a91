package dev.smsgateway.eum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

/**
 * Every member of the SendTextMessage requests this module sends, checked against AWS's published service model
 * (botocore's pinpoint-sms-voice-v2 2022-03-31, under {@code ../shared/peer-data/aws/models} beside the repository):
 * string lengths and patterns (whole value), enums, integer ranges, map sizes and their keys and values.
 */
@DisplayName("SendTextMessage requests as AWS's published model constrains them")
class EumModelConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode shapes;
  private static LoopbackHttpServer aws;
  private static PinpointSmsVoiceV2AsyncClient smsVoice;

  @BeforeAll
  static void start() throws Exception {
    shapes = JSON.readTree(Files.readString(model("pinpoint-sms-voice-v2.SendTextMessage.json"))).get("shapes");
    aws = new LoopbackHttpServer(r -> LoopbackHttpServer.Reply.json(200, "{\"MessageId\":\"aws-1\"}"));
    smsVoice = TestSupport.smsVoice(aws.uri(), Duration.ofSeconds(4));
  }

  @AfterAll
  static void stop() {
    smsVoice.close();
    aws.close();
  }

  /** {@code ../shared/peer-data/aws/models/<name>} relative to the repository root (the directory with sms-bom). */
  static Path model(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("sms-bom"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("repository root").isNotNull();
    Path file = dir.resolve("../shared/peer-data/aws/models").resolve(name).normalize();
    assertThat(file).as("AWS's published model beside the repository").exists();
    return file;
  }

  private static List<String> violations(String path, JsonNode value, String shapeName) {
    JsonNode shape = shapes.get(shapeName);
    List<String> out = new ArrayList<>();
    if (shape == null) {
      out.add(path + ": unknown shape " + shapeName);
      return out;
    }
    switch (shape.get("type").asText()) {
      case "structure" -> {
        for (JsonNode required : shape.path("required")) {
          if (!value.has(required.asText())) {
            out.add(path + "." + required.asText() + ": required, missing");
          }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> member = it.next();
          JsonNode def = shape.path("members").get(member.getKey());
          if (def == null) {
            out.add(path + "." + member.getKey() + ": not a member of " + shapeName);
          } else {
            out.addAll(violations(path + "." + member.getKey(), member.getValue(), def.get("shape").asText()));
          }
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          out.add(path + ": not a string: " + value);
          break;
        }
        String s = value.asText();
        if (shape.has("min") && s.length() < shape.get("min").asInt()) {
          out.add(path + ": shorter than " + shape.get("min") + ": '" + s + "'");
        }
        if (shape.has("max") && s.length() > shape.get("max").asInt()) {
          out.add(path + ": longer than " + shape.get("max") + ": '" + s + "'");
        }
        if (shape.has("pattern") && !Pattern.compile(shape.get("pattern").asText()).matcher(s).matches()) {
          out.add(path + ": '" + s + "' does not match " + shape.get("pattern").asText());
        }
        if (shape.has("enum")) {
          List<String> allowed = new ArrayList<>();
          shape.get("enum").forEach(e -> allowed.add(e.asText()));
          if (!allowed.contains(s)) {
            out.add(path + ": '" + s + "' not one of " + allowed);
          }
        }
      }
      case "integer" -> {
        if (!value.isInt()) {
          out.add(path + ": not an integer: " + value);
        } else if (shape.has("min") && value.asInt() < shape.get("min").asInt()
            || shape.has("max") && value.asInt() > shape.get("max").asInt()) {
          out.add(path + ": " + value + " outside " + shape.get("min") + ".." + shape.get("max"));
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          out.add(path + ": not a boolean: " + value);
        }
      }
      case "map" -> {
        if (shape.has("max") && value.size() > shape.get("max").asInt()) {
          out.add(path + ": more than " + shape.get("max") + " entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          out.addAll(violations(path + "{key}", JSON.getNodeFactory().textNode(e.getKey()),
              shape.get("key").get("shape").asText()));
          out.addAll(violations(path + "[" + e.getKey() + "]", e.getValue(), shape.get("value").get("shape").asText()));
        }
      }
      default -> out.add(path + ": no check for type " + shape.get("type"));
    }
    return out;
  }

  private static JsonNode sentBy(EumSmsProvider provider, SubmitRequest request) throws Exception {
    aws.clear();
    provider.send(request).get(10, TimeUnit.SECONDS);
    return JSON.readTree(aws.last().body());
  }

  private static EumSmsProvider.Builder everyOption() {
    return EumSmsProvider.builder().smsVoiceClient(smsVoice)
        .originationIdentity("+18005550199")
        .configurationSetName("sms-events")
        .protectConfigurationId("protect-configuration-0123456789abcdef")
        .messageType(EumSmsProvider.MessageType.PROMOTIONAL)
        .dryRun(true)
        .messageFeedbackEnabled(true)
        .defaultTimeToLive(Duration.ofHours(1));
  }

  @ParameterizedTest(name = "maxPrice {0}")
  @CsvSource({"1", "0.5", "0.00645", "12.50", "99.99999", "0.00001"})
  @DisplayName("every member the module sends satisfies the model, whatever maxPrice is configured")
  void everyMemberSatisfiesTheModel(String maxPrice) throws Exception {
    try (EumSmsProvider p = everyOption().maxPrice(new BigDecimal(maxPrice)).build()) {
      JsonNode sent = sentBy(p, SubmitRequest.builder().messageId("m-1").to(PhoneNumber.of("+14255550156"))
          .body("Your code is 1234").build());
      assertThat(sent.fieldNames()).toIterable().contains("MaxPrice", "ConfigurationSetName", "OriginationIdentity",
          "TimeToLive", "Context", "MessageType", "ProtectConfigurationId", "DryRun", "MessageFeedbackEnabled");
      assertThat(violations("SendTextMessageRequest", sent, "SendTextMessageRequest")).isEmpty();
    }
  }

  @Test
  @DisplayName("a sender and validity of a request, and a long body, satisfy the model too")
  void perRequestMembers() throws Exception {
    try (EumSmsProvider p = EumSmsProvider.builder().smsVoiceClient(smsVoice).build()) {
      SubmitRequest r = SubmitRequest.builder().messageId("m-2").to(PhoneNumber.of("+447911123456"))
          .body("x".repeat(1600)).from(Originator.alphanumeric("ACME")).validity(Duration.ofDays(10)).build();
      assertThat(violations("SendTextMessageRequest", sentBy(p, r), "SendTextMessageRequest")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"1, 1.0", "1.000, 1.0", "0.5, 0.5", "0.00645, 0.00645", "12.50, 12.5", "99.99999, 99.99999",
      "1E+1, 10.0"})
  @DisplayName("maxPrice is written as the model's MaxPrice: always with a decimal point")
  void maxPriceText(String configured, String sent) {
    assertThat(EumSmsProvider.maxPriceText(new BigDecimal(configured))).isEqualTo(sent);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"100", "250.5", "0.000001", "0", "-1"})
  @DisplayName("build() refuses a maxPrice that MaxPrice cannot express, naming the field")
  void inexpressibleMaxPriceRefusedAtBuild(String configured) {
    assertThatThrownBy(() -> everyOption().maxPrice(new BigDecimal(configured)).build())
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("maxPrice");
  }

  @Test
  @DisplayName("build() refuses identifiers the model would refuse on every send")
  void identifiersCheckedAtBuild() {
    assertThatThrownBy(() -> everyOption().configurationSetName("sms events").build())
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("configurationSetName");
    assertThatThrownBy(() -> everyOption().originationIdentity("ACME Co").build())
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("originationIdentity");
    assertThatThrownBy(() -> everyOption().protectConfigurationId("x".repeat(257)).build())
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("protectConfigurationId");
  }
}
