package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.ProviderCapabilities;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gateway's lifecycle: what happens before start(), at build() and around close(). */
class SmsGatewayLifecycleTest {

  static final String CUSTOMER = "+14155550100";

  final RecordingSmsProvider primary = RecordingSmsProvider.named("primary");
  SmsGateway gateway;

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static OutboundSms sms(String text) {
    return OutboundSms.builder().to(CUSTOMER).body(text).build();
  }

  static SmsException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable e = f.handle((r, x) -> x).join();
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    assertThat(e).isInstanceOf(SmsException.class);
    return (SmsException) e;
  }

  @Nested
  @DisplayName("before start()")
  class BeforeStart {

    @Test
    @DisplayName("a send fails at once with a configuration error and a WARN line; nothing reaches the provider")
    void sendFailsAtOnce() {
      gateway = SmsGateway.builder().provider(primary).build();
      Logger logger = (Logger) LoggerFactory.getLogger(SmsGateway.class);
      ListAppender<ILoggingEvent> appender = new ListAppender<>();
      appender.start();
      logger.addAppender(appender);
      try {
        CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
        assertThat(failure(f)).isInstanceOf(SmsConfigurationException.class)
            .hasMessageContaining("not started").hasMessageContaining("start()");
      } finally {
        logger.detachAppender(appender);
      }
      assertThat(primary.submitted()).isEmpty();
      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN)
          .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("not started"));
      gateway.start();
      assertThat(gateway.send(sms("Hi"))).succeedsWithin(java.time.Duration.ofSeconds(5));
    }
  }

  @Nested
  @DisplayName("settings checked at build()")
  class Settings {

    @Test
    @DisplayName("defaultRegion(\"USA\") fails naming the setting and the alpha-2 code it means")
    void alpha3Region() {
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).defaultRegion("USA").build())
          .isInstanceOfSatisfying(SmsValidationException.class,
              e -> assertThat(e.field()).isEqualTo("defaultRegion"))
          .hasMessageContaining("'USA'").hasMessageContaining("did you mean 'US'");
    }

    @Test
    @DisplayName("an unknown region fails naming the setting; a lower-case known one is accepted")
    void unknownRegion() {
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).defaultRegion("XX").build())
          .isInstanceOfSatisfying(SmsValidationException.class,
              e -> assertThat(e.field()).isEqualTo("defaultRegion"))
          .hasMessageContaining("'XX'").hasMessageNotContaining("did you mean");
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).defaultRegion("").build())
          .isInstanceOf(SmsValidationException.class);
      gateway = SmsGateway.builder().provider(primary).defaultRegion("gb").build();
      assertThat(gateway.normalize("020 7946 0958").e164()).isEqualTo("+442079460958");
    }

    @Test
    @DisplayName("a provider without a name is refused when it is added")
    void namelessProvider() {
      SmsProvider nameless = new SmsProvider() {
        @Override
        public String name() {
          return null;
        }

        @Override
        public ProviderCapabilities capabilities() {
          return primary.capabilities();
        }

        @Override
        public void start(ProviderListener listener) {}

        @Override
        public CompletableFuture<SendReceipt> send(SubmitRequest request) {
          return new CompletableFuture<>();
        }

        @Override
        public void close() {}
      };
      assertThatThrownBy(() -> SmsGateway.builder().provider(nameless).build())
          .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("has no name");
    }
  }
}
