package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs {@code yaml-config --loopback} over the shipped {@code examples/config} files and checks its transcript. */
class YamlConfigExampleTest {

  // Surefire runs in the module folder, so the shipped files are under config/.
  private static final Path CONFIG = Path.of("config", "gateway.yaml");

  @Test
  @DisplayName("routing and providers come from the YAML files: queue, keyword, HELP and STOP replies as configured")
  void loopback() {
    String transcript = ExampleRun.run(YamlConfigExample::run, "--loopback", "--config", CONFIG.toString());

    assertThat(transcript).contains("mapping sales: provider smsc, QUEUE");
    assertThat(transcript).contains("provider smsc (smpp)").contains("smpp.password=****");
    assertThat(transcript).containsPattern("ASSIGN \\+1415\\*{5}42 -> alice");
    assertThat(transcript).contains("HOURS -> configured reply", "HELP -> configured help reply",
        "STOP -> configured opt-out reply");
    assertThat(transcript).contains("REFUSED alice -> +1415*****42: SmsOptedOutException");
    assertThat(transcript).contains("mapping(s) now in force", "edited HOURS reply in force",
        "refused, the configuration in force stays: mappings[sales].chatControl.idelTimeout is not a known setting",
        "broken edit refused, HOURS still answered");
    assertThat(transcript).doesNotContain("4155550142");
    assertThat(transcript).contains("RESULT: every step behaved as expected");
  }

  @Test
  @DisplayName("a ${VAR} that is not set is a configuration error naming the setting and the variable")
  void missingVariable() throws Exception {
    var entry = YamlConfigExample.readProviders(CONFIG.resolveSibling("providers.yaml")).get(0);
    var settings = YamlConfigExample.resolve(entry, Map.of("SMPP_HOST", "smsc.example.net")::get);

    assertThat(settings.apply("smpp.host")).isEqualTo("smsc.example.net");
    assertThat(settings.apply("smpp.defaultRegion")).isEqualTo("US");
    assertThatThrownBy(() -> settings.apply("smpp.password"))
        .isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("providers[smsc].settings.smpp.password")
        .hasMessageContaining("SMPP_PASSWORD");
  }
}
