package dev.smsgateway.eum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.PhoneNumber;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("EumSmsProviderFactory through SmsProviders (ServiceLoader)")
class EumSmsProviderFactoryTest {

  static LoopbackHttpServer aws;

  @BeforeAll
  static void start() throws Exception {
    aws = new LoopbackHttpServer(r -> LoopbackHttpServer.Reply.json(200, "{\"MessageId\":\"f-1\"}"));
    // the factory uses the default credential chain; system properties are its first link
    System.setProperty("aws.accessKeyId", TestSupport.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", TestSupport.SECRET_KEY);
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    aws.close();
  }

  @AfterEach
  void reset() {
    aws.clear();
  }

  Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    s.put("eum.region", "eu-west-1");
    s.put("eum.endpoint", aws.uri().toString());
    s.put("eum.originationIdentity", "+447700900123");
    s.put("eum.configurationSet", "gateway-events");
    s.put("eum.apiCallTimeout", "PT5S");
    return s;
  }

  @Test
  @DisplayName("type eum builds a provider whose own client signs for the region and never retries")
  void createsAndSends() throws Exception {
    aws.respond(r -> LoopbackHttpServer.Reply.json(200, "{\"MessageId\":\"f-1\"}"));
    Map<String, String> s = settings();
    try (SmsProvider provider = SmsProviders.create("eum", "aws-eu", s::get)) {
      assertThat(provider).isInstanceOf(EumSmsProvider.class);
      assertThat(provider.name()).isEqualTo("aws-eu");
      var receipt = provider.send(SubmitRequest.builder().messageId("f").to(PhoneNumber.of("+447700900456"))
          .body("hi").build()).get(10, TimeUnit.SECONDS);
      assertThat(receipt.providerMessageId()).isEqualTo("f-1");
      assertThat(aws.last().header("Authorization")).contains("/eu-west-1/sms-voice/aws4_request");
      assertThat(aws.last().body()).contains("\"ConfigurationSetName\":\"gateway-events\"")
          .contains("\"OriginationIdentity\":\"+447700900123\"");

      aws.clear();
      aws.respond(r -> LoopbackHttpServer.Reply.json(500,
          "{\"__type\":\"InternalServerException\",\"Message\":\"boom\"}"));
      assertThatThrownBy(() -> provider.send(SubmitRequest.builder().messageId("g")
              .to(PhoneNumber.of("+447700900456")).body("hi").build()).orTimeout(10, TimeUnit.SECONDS).join())
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(SmsTransportException.class)
          .satisfies(e -> assertThat(((SmsException) e).possiblyDelivered()).isTrue());
      assertThat(aws.requests()).as("no SDK retry of SendTextMessage").hasSize(1);
    }
  }

  @Test
  @DisplayName("PINPOINT_PROJECT builds a Pinpoint client and needs eum.applicationId")
  void pinpoint() {
    Map<String, String> s = settings();
    s.put("eum.mode", "pinpoint_project");
    assertThatThrownBy(() -> SmsProviders.create("eum", s::get)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("eum.applicationId");
    s.put("eum.applicationId", "app-9");
    try (SmsProvider provider = SmsProviders.create("eum", s::get)) {
      assertThat(((EumSmsProvider) provider).mode()).isEqualTo(EumMode.PINPOINT_PROJECT);
    }
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "eum.region, ''",
      "eum.mode, SMPP",
      "eum.messageType, MARKETING",
      "eum.maxPrice, cheap",
      "eum.dryRun, yes",
      "eum.apiCallTimeout, 10s",
      "eum.defaultTimeToLive, -PT1M",
      "eum.endpoint, not a uri",
  })
  @DisplayName("a bad setting is a configuration error naming the key")
  void badSettings(String key, String value) {
    Map<String, String> s = settings();
    s.put(key, value);
    assertThatThrownBy(() -> SmsProviders.create("eum", s::get)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining(key);
  }
}
