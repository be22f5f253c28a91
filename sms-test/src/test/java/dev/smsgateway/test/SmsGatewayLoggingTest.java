package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** X1 for the gateway: at DEBUG, no log line or logged exception carries a whole phone number or a body. */
class SmsGatewayLoggingTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.smsgateway");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level previous;

  @BeforeEach
  void capture() {
    previous = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void restore() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }

  @Test
  @DisplayName("sends, retries, failures, reports and inbound log no full number and no body at DEBUG")
  void masked() {
    MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    ManualScheduler scheduler = new ManualScheduler(clock);
    RecordingSmsProvider provider = RecordingSmsProvider.builder().name("p").clock(clock).build();
    provider.enqueue(Outcome.transportError(), Outcome.accept(), Outcome.reject("21211"), Outcome.timeout());
    try (SmsGateway gateway = SmsGateway.builder().provider(provider).defaultRegion("US").clock(clock)
        .scheduler(scheduler).random(new Random(1)).inboundHandler(sms -> {
          throw new IllegalStateException("refused");
        }).build()) {
      gateway.start();
      OutboundSms sms = OutboundSms.builder().to("(415) 555-0100").from("+14155550199").body("SECRET-BODY").build();
      gateway.send(sms);
      scheduler.advance(Duration.ofSeconds(1));
      gateway.send(sms);
      gateway.send(sms);
      gateway.send(sms.toBuilder().to("+1 415 555 01").build());
      provider.deliverReport(dev.smsgateway.DeliveryReport.builder().provider("p").providerMessageId("424242")
          .status(DeliveryStatus.DELIVERED).occurredAt(clock.instant()).build());
      try {
        provider.deliverInbound(InboundSms.builder().provider("p").providerMessageId("mo1")
            .from(PhoneNumber.of("+14155550100")).to(Originator.longCode(PhoneNumber.of("+14155550199")))
            .body("SECRET-BODY").receivedAt(clock.instant()).build());
      } catch (IllegalStateException expected) {
        // the handler refused it; the provider would nack
      }
    }
    assertThat(appender.list).hasSizeGreaterThan(5);
    for (ILoggingEvent e : appender.list) {
      String line = e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      assertThat(line).doesNotContain("4155550100").doesNotContain("4155550199").doesNotContain("SECRET-BODY");
    }
  }
}
