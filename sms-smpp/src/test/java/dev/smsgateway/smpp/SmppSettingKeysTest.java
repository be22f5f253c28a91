package dev.smsgateway.smpp;

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

/** Typos in SMPP settings are errors, and the factory's declared keys are exactly the keys it reads. */
class SmppSettingKeysTest {

  static Map<String, String> every() {
    Map<String, String> s = new HashMap<>();
    s.put("smpp.host", "127.0.0.1");
    s.put("smpp.port", "2775");
    s.put("smpp.systemId", "esme");
    s.put("smpp.password", "pw");
    s.put("smpp.systemType", "cp");
    s.put("smpp.addressRange", "");
    s.put("smpp.serviceType", "");
    s.put("smpp.bindMode", "transceiver");
    s.put("smpp.binds", "2");
    s.put("smpp.window", "5");
    s.put("smpp.partsPerSecond", "10");
    s.put("smpp.enquireLinkInterval", "30s");
    s.put("smpp.responseTimeout", "10s");
    s.put("smpp.bindTimeout", "10s");
    s.put("smpp.initialBackoff", "1s");
    s.put("smpp.maxBackoff", "30s");
    s.put("smpp.queueCapacity", "100");
    s.put("smpp.queueTimeout", "30s");
    s.put("smpp.longMessages", "udh8");
    s.put("smpp.latin1", "false");
    s.put("smpp.defaultOriginator", "ACME");
    s.put("smpp.defaultRegion", "US");
    s.put("smpp.messageIdTag", "0x1501");
    return s;
  }

  @Test
  @DisplayName("settingKeys() is every key the factory reads, and it reads every one it declares")
  void declaredKeysAreTheKeysRead() {
    Set<String> read = new TreeSet<>();
    Map<String, String> settings = every();
    try (SmsProvider p = new SmppSmsProviderFactory().create("smsc", k -> {
      read.add(k);
      return settings.get(k);
    })) {
      assertThat(p).isInstanceOf(SmppSmsProvider.class);
    }
    assertThat(read).isEqualTo(new TreeSet<>(new SmppSmsProviderFactory().settingKeys()));
    assertThat(settings.keySet()).isEqualTo(read);
  }

  @Test
  @DisplayName("smpp.bindz and smpp.windw are errors that list the known keys and suggest the nearest")
  void typos() {
    Map<String, String> settings = every();
    settings.put("smpp.bindz", "2");
    settings.put("smpp.windw", "5");
    assertThatThrownBy(() -> SmsProviders.create("smpp", "smsc", settings))
        .isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("smpp.bindz (did you mean smpp.binds?)")
        .hasMessageContaining("smpp.windw (did you mean smpp.window?)")
        .hasMessageContaining("smpp.enquireLinkInterval");
  }

  @Test
  @DisplayName("SmsProviders.create(\"SMPP\", ...) finds the smpp factory")
  void typeIgnoringCase() {
    try (SmsProvider p = SmsProviders.create("SMPP", every())) {
      assertThat(p).isInstanceOf(SmppSmsProvider.class);
      assertThat(p.name()).isEqualTo("smpp");
    }
  }
}
