package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * ServiceLoader lookup by name, against src/test/resources/META-INF/services: one factory of type "fake" and two
 * factories that both claim type "dup".
 */
class SmsProvidersTest {

  @Test
  @DisplayName("types() lists every type found, sorted")
  void types() {
    assertThat(SmsProviders.types()).containsExactly("dup", "fake");
  }

  @Test
  @DisplayName("create() by type builds the provider with the given name and settings")
  void create() {
    SmsProvider p = SmsProviders.create("fake", "fake-eu", Map.of("fake.region", "eu")::get);
    assertThat(p.name()).isEqualTo("fake-eu");
    assertThat(((FakeProvider) p).region).isEqualTo("eu");
    assertThat(SmsProviders.create("fake", k -> null).name()).isEqualTo("fake");
  }

  @Test
  @DisplayName("an unknown type is a configuration error that lists the types found")
  void unknown() {
    assertThatThrownBy(() -> SmsProviders.create("twilio", k -> null))
        .isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("'twilio'").hasMessageContaining("[dup, fake]");
  }

  @Test
  @DisplayName("a type claimed by two factories is an error naming both, never 'first one wins'")
  void duplicate() {
    assertThatThrownBy(() -> SmsProviders.create("dup", k -> null))
        .isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining(DupFactoryOne.class.getName()).hasMessageContaining(DupFactoryTwo.class.getName());
  }

  @Test
  @DisplayName("blank type or name is a validation error; null settings a NullPointerException")
  void badArguments() {
    assertThatThrownBy(() -> SmsProviders.create(" ", k -> null)).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("type"));
    assertThatThrownBy(() -> SmsProviders.create(null, k -> null)).isInstanceOf(SmsValidationException.class);
    assertThatThrownBy(() -> SmsProviders.create("fake", "", k -> null)).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> SmsProviders.create("fake", (Function<String, String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("settings == null");
  }

  @Test
  @DisplayName("the type is matched ignoring case; a near miss is answered with 'did you mean'")
  void typeIgnoringCase() {
    assertThat(SmsProviders.create("FAKE", k -> null).name()).isEqualTo("fake");
    assertThat(SmsProviders.create("Fake", Map.of()).name()).isEqualTo("fake");
    assertThatThrownBy(() -> SmsProviders.create("fakee", k -> null)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("did you mean 'fake'?").satisfies(e -> assertThat(e.getMessage()).doesNotContain("sms-"));
  }

  @Test
  @DisplayName("a missing module is named only when it is one of the project's provider modules")
  void moduleHint() {
    assertThatThrownBy(() -> SmsProviders.create("SMPP", k -> null)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("add the sms-smpp module");
    assertThatThrownBy(() -> SmsProviders.create("smtp", k -> null)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("did you mean 'smpp'? add the sms-smpp module");
    assertThatThrownBy(() -> SmsProviders.create("carrier-pigeon", k -> null))
        .isInstanceOf(SmsConfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sms-carrier").doesNotContain("add the"));
  }

  @Test
  @DisplayName("an unknown key under the provider's prefix is an error listing the known keys and the nearest")
  void unknownKeys() {
    assertThatThrownBy(() -> SmsProviders.create("fake", "f1", Map.of("fake.regoin", "eu", "fake.window", "5")))
        .isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("provider f1").hasMessageContaining("fake.regoin (did you mean fake.region?)")
        .hasMessageContaining("[fake.region, fake.window]");
    assertThatThrownBy(() -> SmsProviders.create("fake", Map.of("FAKE.Region", "eu")))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("did you mean fake.region?");
    assertThatThrownBy(() -> SmsProviders.create("fake", Map.of("fake.colour", "blue")))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("unknown setting fake.colour;");
    // other prefixes are other components' settings: ignored
    SmsProvider p = SmsProviders.create("fake", "f2", Map.of("fake.region", "eu", "smpp.bindz", "2", "log.level", "x"));
    assertThat(((FakeProvider) p).region).isEqualTo("eu");
  }

  @Test
  @DisplayName("Properties are checked the same way")
  void properties() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("fake.region", "us");
    assertThat(((FakeProvider) SmsProviders.create("fake", "f3", props)).region).isEqualTo("us");
    props.setProperty("fake.windw", "5");
    assertThatThrownBy(() -> SmsProviders.create("fake", "f3", props)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("fake.windw (did you mean fake.window?)");
  }

  /** Test factory of type "fake". */
  public static final class FakeFactory implements SmsProviderFactory {
    @Override
    public String type() {
      return "fake";
    }

    @Override
    public SmsProvider create(String name, Function<String, String> settings) {
      return new FakeProvider(name, settings.apply("fake.region"));
    }

    @Override
    public java.util.Set<String> settingKeys() {
      return java.util.Set.of("fake.region", "fake.window");
    }
  }

  /** First test factory claiming "dup". */
  public static final class DupFactoryOne implements SmsProviderFactory {
    @Override
    public String type() {
      return "dup";
    }

    @Override
    public SmsProvider create(String name, Function<String, String> settings) {
      throw new AssertionError("never chosen");
    }
  }

  /** Second test factory claiming "dup". */
  public static final class DupFactoryTwo implements SmsProviderFactory {
    @Override
    public String type() {
      return "dup";
    }

    @Override
    public SmsProvider create(String name, Function<String, String> settings) {
      throw new AssertionError("never chosen");
    }
  }

  static final class FakeProvider implements SmsProvider {
    final String name;
    final String region;

    FakeProvider(String name, String region) {
      this.name = name;
      this.region = region;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ProviderCapabilities capabilities() {
      return new ProviderCapabilities(false, false, false, 1, EnumSet.of(Originator.Kind.LONG_CODE));
    }

    @Override
    public void start(ProviderListener listener) {}

    @Override
    public CompletableFuture<SendReceipt> send(SubmitRequest request) {
      return CompletableFuture.failedFuture(new SmsTransportException("fake", name, null, false, null));
    }

    @Override
    public void close() {}
  }
}
