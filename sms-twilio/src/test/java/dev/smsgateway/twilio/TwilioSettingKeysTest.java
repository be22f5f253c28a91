package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Typos in Twilio settings are errors, and the factory's declared keys are exactly the keys it reads. */
class TwilioSettingKeysTest {

  static Map<String, String> every() {
    Map<String, String> s = new HashMap<>();
    s.put("twilio.accountSid", FakeTwilioApi.ACCOUNT);
    s.put("twilio.authToken", "token-1");
    s.put("twilio.apiKey", "SK" + "1".repeat(32));
    s.put("twilio.apiSecret", "secret-1");
    s.put("twilio.webhookAuthToken", "token-2");
    s.put("twilio.messagingServiceSid", "MG" + "2".repeat(32));
    s.put("twilio.from", "+14155550100");
    s.put("twilio.defaultRegion", "US");
    s.put("twilio.publicBaseUrl", "https://sms.example.com");
    s.put("twilio.statusCallback", "https://sms.example.com/twilio/status");
    s.put("twilio.smartEncoded", "true");
    s.put("twilio.region", "ie1");
    s.put("twilio.edge", "dublin");
    s.put("twilio.threads", "4");
    s.put("twilio.connectTimeout", "PT5S");
    s.put("twilio.readTimeout", "PT20S");
    s.put("twilio.deduplicationWindow", "PT1H");
    return s;
  }

  @Test
  @DisplayName("settingKeys() is every key the factory reads, and it reads every one it declares")
  void declaredKeysAreTheKeysRead() {
    Set<String> read = new TreeSet<>();
    Map<String, String> settings = every();
    try (SmsProvider p = new TwilioSmsProviderFactory().create("tw", k -> {
      read.add(k);
      return settings.get(k);
    })) {
      assertThat(p).isInstanceOf(TwilioSmsProvider.class);
    }
    assertThat(read).isEqualTo(new TreeSet<>(new TwilioSmsProviderFactory().settingKeys()));
    // every key but twilio.maxPrice, which is read only to be refused (TwilioSpendingTest) and so cannot be given here
    Set<String> given = new TreeSet<>(settings.keySet());
    given.add("twilio.maxPrice");
    assertThat(given).isEqualTo(read);
  }

  @Test
  @DisplayName("a misspelt key is an error suggesting the nearest")
  void typo() {
    Map<String, String> settings = every();
    settings.put("twilio.messagingServiceSID", "MG" + "2".repeat(32));
    assertThatThrownBy(() -> SmsProviders.create("twilio", "tw", settings))
        .isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("twilio.messagingServiceSID (did you mean twilio.messagingServiceSid?)");
  }
}
