package dev.smsgateway.examples;

import static dev.smsgateway.test.SecretAssertions.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X2 for the examples: provider settings read from YAML never show their secrets. */
class CredentialHygieneTest {

  static final String PASSWORD = "X2exPass";
  static final String TOKEN = "S3cr3t-X2-examples-token";
  static final String URL_PASSWORD = "S3cr3t-X2-examples-urlpw";
  static final String[] SECRETS = {PASSWORD, TOKEN, URL_PASSWORD};

  @TempDir
  Path dir;

  Path providers() throws Exception {
    Path file = dir.resolve("providers.yaml");
    Files.writeString(file, """
        providers:
          smsc:
            type: smpp
            settings:
              smpp.host: 127.0.0.1
              smpp.port: "1"
              smpp.systemId: x2
              smpp.password: %s
              smpp.window: lots
          tw:
            type: twilio
            settings:
              twilio.accountSid: AC0123456789abcdef0123456789abcdef
              twilio.authToken: %s
              twilio.from: "+14155550100"
              twilio.publicBaseUrl: https://hooks:%s@sms.example.com/x
        """.formatted(PASSWORD, TOKEN, URL_PASSWORD));
    return file;
  }

  @Test
  @DisplayName("a provider entry with literal secrets: its toString and the shown settings hide them")
  void providerEntries() throws Exception {
    List<YamlConfigExample.ProviderEntry> entries = YamlConfigExample.readProviders(providers());
    assertThat(entries).hasSize(2);
    for (YamlConfigExample.ProviderEntry e : entries) {
      assertThat(e.toString()).contains(e.name());
      assertNoSecret(e, SECRETS);
      List<String> shown = YamlConfigExample.shown(YamlConfigExample.resolve(e, name -> null),
          e.settings().keySet());
      assertNoSecret(shown, SECRETS);
      assertThat(shown).anySatisfy(s -> assertThat(s).endsWith("=****"));
    }
    assertThat(entries.get(1).toString()).contains("sms.example.com/x").doesNotContain("+14155550100");
  }

  @Test
  @DisplayName("a provider that cannot be created from such settings fails without quoting a secret")
  void refusedSettings() throws Exception {
    YamlConfigExample.ProviderEntry smsc = YamlConfigExample.readProviders(providers()).get(0);
    Throwable t = catchThrowable(() -> SmsProviders.create(smsc.type(), smsc.name(),
        YamlConfigExample.resolve(smsc, name -> null)));
    assertThat(t).isInstanceOf(SmsConfigurationException.class).hasMessageContaining("smpp.window");
    assertNoSecret(t, SECRETS);

    Path file = dir.resolve("env.yaml");
    Files.writeString(file, "providers:\n  smsc:\n    type: smpp\n    settings:\n      smpp.password: ${X2_PASSWORD}\n");
    YamlConfigExample.ProviderEntry fromEnv = YamlConfigExample.readProviders(file).get(0);
    Throwable missing = catchThrowable(() -> YamlConfigExample.resolve(fromEnv, Map.<String, String>of()::get)
        .apply("smpp.password"));
    assertThat(missing).hasMessageContaining("X2_PASSWORD");
    assertNoSecret(fromEnv, SECRETS);
  }
}
