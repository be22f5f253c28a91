package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsProviders;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings Twilio would refuse on every send, and missing secrets, are configuration errors when the provider is built. */
class TwilioBuilderValidationTest {

  private static final String ACCOUNT = FakeTwilioApi.ACCOUNT;
  private static final String SERVICE = "MG" + "0123456789abcdef".repeat(2);
  private static final String UNSET = "SMS_GATEWAY_TEST_VARIABLE_THAT_IS_NEVER_SET";

  private static TwilioSmsProvider.Builder valid() {
    return TwilioSmsProvider.builder().accountSid(ACCOUNT).authToken("token-1").messagingServiceSid(SERVICE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AC...", "AC123", "ac0123456789abcdef0123456789abcdef", "SM0123456789abcdef0123456789abcdef",
      "AC0123456789abcdef0123456789abcdeg", "AC0123456789abcdef0123456789abcdef0"})
  @DisplayName("an Account SID of the wrong shape fails build(), naming the setting")
  void accountSidShape(String sid) {
    assertThatThrownBy(() -> valid().accountSid(sid).build()).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("accountSid").hasMessageContaining("32 hexadecimal digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MG...", "MG1", "PN0123456789abcdef0123456789abcdef"})
  @DisplayName("a Messaging Service SID of the wrong shape fails build(), naming the setting")
  void messagingServiceSidShape(String sid) {
    assertThatThrownBy(() -> valid().messagingServiceSid(sid).build()).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("messagingServiceSid");
  }

  @Test
  @DisplayName("an API key SID of the wrong shape fails build()")
  void apiKeyShape() {
    assertThatThrownBy(() -> TwilioSmsProvider.builder().accountSid(ACCOUNT).apiKey("SK12", "secret")
        .messagingServiceSid(SERVICE).build()).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("apiKey");
  }

  @Test
  @DisplayName("a secret read from an unset environment variable names the setting, never a NullPointerException")
  void missingSecrets() {
    assertThat(System.getenv(UNSET)).isNull();
    assertThatThrownBy(() -> valid().authToken(System.getenv(UNSET))).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("authToken").hasMessageContaining("null");
    assertThatThrownBy(() -> TwilioSmsProvider.builder().accountSid(System.getenv(UNSET)))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("accountSid");
    assertThatThrownBy(() -> valid().apiKey("SK" + "1".repeat(32), System.getenv(UNSET)))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("apiSecret");
    assertThatThrownBy(() -> valid().webhookAuthToken(System.getenv(UNSET)))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("webhookAuthToken");
  }

  @Test
  @DisplayName("a wrong-shape SID or sender given as settings fails SmsProviders.create")
  void throughTheFactory() {
    Map<String, String> settings = new HashMap<>(Map.of("twilio.accountSid", "AC123", "twilio.authToken", "token-1",
        "twilio.messagingServiceSid", SERVICE));
    assertThatThrownBy(() -> SmsProviders.create("twilio", settings::get)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("accountSid");
    settings.put("twilio.accountSid", ACCOUNT);
    settings.put("twilio.from", "+1 (415) 555-01");
    assertThatThrownBy(() -> SmsProviders.create("twilio", settings::get)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("from");
  }

  @Test
  @DisplayName("the message does not quote a value that may be a secret given in the wrong place")
  void secretNotQuoted() {
    String token = "0123456789abcdef0123456789abcdef";
    assertThatThrownBy(() -> valid().accountSid(token).build()).isInstanceOf(SmsConfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
  }
}
