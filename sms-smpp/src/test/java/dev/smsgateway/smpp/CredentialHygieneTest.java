package dev.smsgateway.smpp;

import static dev.smsgateway.test.SecretAssertions.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** X2: the bind password never shows in a {@code toString()}, an exception (message or cause chain) or a state detail. */
class CredentialHygieneTest {

  // SMPP 3.4 caps the password at 8 characters.
  static final String PASSWORD = "X2smppPw";
  static final String WRONG_PASSWORD = "X2wrngPw";
  static final String SYSTEM_ID = "x2esme";

  SmscSimulator smsc;
  SmppSmsProvider provider;

  @BeforeEach
  void startSmsc() {
    smsc = SmscSimulator.builder().credentials(SYSTEM_ID, PASSWORD).build().start();
  }

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    smsc.close();
  }

  SmppSmsProvider.Builder builder(String password) {
    return SmppSmsProvider.builder().name("x2").host(smsc.host()).port(smsc.port()).systemId(SYSTEM_ID)
        .password(password).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  @Test
  @DisplayName("toString of the builder and of a built, started and closed provider shows the system_id, never the password")
  void toStringShowsNoPassword() throws Exception {
    SmppSmsProvider.Builder b = builder(PASSWORD);
    assertNoSecret(b, PASSWORD);
    provider = b.build();
    assertNoSecret(provider, PASSWORD);
    RecordingListener listener = new RecordingListener();
    provider.start(listener);
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, Duration.ofSeconds(5)))
        .isTrue();
    assertThat(provider.toString()).contains(SYSTEM_ID);
    assertNoSecret(provider, PASSWORD);
    provider.close();
    assertNoSecret(provider, PASSWORD);
    assertNoSecret(listener.details, PASSWORD);
  }

  @Test
  @DisplayName("a provider created by name from settings shows no password")
  void createdBySettingsShowsNoPassword() {
    Map<String, String> settings = Map.of("smpp.host", smsc.host(), "smpp.port", String.valueOf(smsc.port()),
        "smpp.systemId", SYSTEM_ID, "smpp.password", PASSWORD);
    try (SmsProvider p = SmsProviders.create("smpp", "x2", settings::get)) {
      assertNoSecret(p, PASSWORD);
    }
  }

  @Test
  @DisplayName("a password too long for SMPP is refused without being quoted")
  void invalidPasswordIsNotQuoted() {
    String tooLong = "S3cr3t-X2-smpp-too-long";
    Throwable built = catchThrowable(() -> builder(tooLong).build());
    assertThat(built).isInstanceOf(SmsConfigurationException.class).hasMessageContaining("smpp.password");
    assertNoSecret(built, tooLong);
    Throwable created = catchThrowable(() -> SmsProviders.create("smpp", "x2", Map.of("smpp.host", "127.0.0.1",
        "smpp.systemId", SYSTEM_ID, "smpp.password", tooLong)::get));
    assertThat(created).isInstanceOf(SmsConfigurationException.class).hasMessageContaining("smpp.password");
    assertNoSecret(created, tooLong);
  }

  @Test
  @DisplayName("a bind refused for a wrong password: the error, the failed send, the state details and our logs hold neither password")
  void wrongPasswordAgainstTheSimulator() throws Exception {
    Logger ours = (Logger) LoggerFactory.getLogger("dev.smsgateway");
    Level before = ours.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ours.addAppender(logs);
    ours.setLevel(Level.DEBUG);
    RecordingListener listener = new RecordingListener();
    try {
      provider = builder(WRONG_PASSWORD).build();
      provider.start(listener);
      assertThat(RecordingListener.await(() -> provider.state() == ProviderState.FAILED, Duration.ofSeconds(5)))
          .isTrue();
      Throwable failure = catchThrowable(() -> provider.send(SubmitRequest.builder().messageId("x2")
          .to(PhoneNumber.of("+4915112345678")).body("hello").build()).get(10, TimeUnit.SECONDS));
      assertThat(failure).isInstanceOf(ExecutionException.class);
      assertThat(failure.getCause()).isInstanceOf(SmsConfigurationException.class)
          .hasMessageContaining("ESME_RINVPASWD");
      assertNoSecret(failure.getCause(), WRONG_PASSWORD, PASSWORD);
      assertNoSecret(provider, WRONG_PASSWORD, PASSWORD);
    } finally {
      ours.detachAppender(logs);
      ours.setLevel(before);
    }
    assertThat(smsc.bindAttempts()).isEqualTo(1);
    assertNoSecret(listener.details, WRONG_PASSWORD, PASSWORD);
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("stopped reconnecting"));
    for (ILoggingEvent e : logs.list) {
      assertNoSecret(e.getFormattedMessage(), WRONG_PASSWORD, PASSWORD);
    }
  }
}
