package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SubmitRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** X1 for this module's own loggers and twilio-java's: at DEBUG, no secret and no full phone number is logged. */
class TwilioLoggingTest {

  @Test
  @DisplayName("at DEBUG, sends, errors and webhooks log neither the auth token (plain, base64, hex) nor full numbers")
  void noSecretsAtDebug() throws Exception {
    Logger ours = (Logger) LoggerFactory.getLogger("dev.smsgateway");
    Logger twilio = (Logger) LoggerFactory.getLogger("com.twilio");
    Level oursBefore = ours.getLevel();
    Level twilioBefore = twilio.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ours.addAppender(appender);
    twilio.addAppender(appender);
    ours.setLevel(Level.DEBUG);
    twilio.setLevel(Level.DEBUG);
    try (FakeTwilioApi api = new FakeTwilioApi(); var http = api.client(2000)) {
      TwilioSmsProvider provider = TwilioSmsProvider.builder().accountSid(FakeTwilioApi.ACCOUNT)
          .authToken(FakeTwilioApi.TOKEN).httpClient(http).threads(1)
          .from(Originator.longCode(PhoneNumber.of("+14155550100"))).build();
      provider.start(new ProviderListener() {
        @Override
        public void onInbound(InboundSms sms) {
          throw new IllegalStateException("listener down for " + sms);
        }

        @Override
        public void onDeliveryReport(DeliveryReport report) {}
      });
      SubmitRequest req = SubmitRequest.builder().messageId("x1").to(PhoneNumber.of("+14155550123")).body("secret text")
          .build();
      provider.send(req).get(10, TimeUnit.SECONDS);
      api.respond((r, n) -> FakeTwilioApi.error(400, 21211, null));
      provider.send(req).handle((r, e) -> null).get(10, TimeUnit.SECONDS);
      List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 1), "secret text");
      String url = "https://sms.example.com/twilio/inbound/x";
      provider.webhookHandler().handle("POST", url, WebhookFixtures.headers(WebhookFixtures.sign(FakeTwilioApi.TOKEN, url, p)),
          WebhookFixtures.encode(p).getBytes(StandardCharsets.UTF_8));
      provider.close();
    } finally {
      ours.detachAppender(appender);
      twilio.detachAppender(appender);
      ours.setLevel(oursBefore);
      twilio.setLevel(twilioBefore);
    }
    List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("listener failed"));
    String token = FakeTwilioApi.TOKEN;
    String basic = Base64.getEncoder().encodeToString((FakeTwilioApi.ACCOUNT + ":" + token).getBytes(StandardCharsets.UTF_8));
    String hex = HexFormat.of().formatHex(token.getBytes(StandardCharsets.UTF_8));
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(token, basic, hex, "+14155550123", "+14155550100",
        "secret text"));
  }
}
