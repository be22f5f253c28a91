package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.ProviderListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Jazzer fuzz targets (X3) for the webhook's parsers and validators. A normal build replays the committed inputs under
 * {@code src/test/resources/dev/smsgateway/twilio/TwilioWebhookFuzzTestInputs/<method>/}; fuzz one for longer with
 * {@code JAZZER_FUZZ=1 mvn -pl sms-twilio test -Dtest=TwilioWebhookFuzzTest#handler}.
 */
class TwilioWebhookFuzzTest {

  private static final String TOKEN = "fuzz-token";
  private static final String[] TYPES = {"application/x-www-form-urlencoded", "application/json",
      "application/x-www-form-urlencoded; charset=utf-8", "text/plain", ""};
  private static final String[] URLS = {"https://sms.example.com/twilio/inbound/sales",
      "https://sms.example.com:8443/twilio/status?messageId=m1", "http://[::1]:80/twilio/status?bodySHA256=ab"};

  private static final TwilioWebhookHandler HANDLER = TwilioWebhookHandler.builder().authToken(TOKEN)
      .deduplicationWindow(Duration.ZERO).listener(new ProviderListener() {
        @Override
        public void onInbound(InboundSms sms) {
          assertThat(sms.providerMessageId()).matches("[A-Z]{2}[0-9a-fA-F]{32}");
        }

        @Override
        public void onDeliveryReport(DeliveryReport report) {
          assertThat(report.providerMessageId()).isNotNull();
        }
      }).build();

  @FuzzTest(maxDuration = "10s")
  void formParser(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      List<Map.Entry<String, String>> params = FormData.parse(text, 200);
      assertThat(params.size()).isLessThanOrEqualTo(200);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "10s")
  void signature(FuzzedDataProvider data) {
    String url = data.consumeString(200);
    String sig = data.consumeString(40);
    byte[] body = data.consumeRemainingAsBytes();
    TwilioSignature s = new TwilioSignature(List.of(TOKEN));
    assertThat(TwilioSignature.urlVariants(url)).isNotEmpty().contains(url);
    s.validJson(url, body, sig);
    try {
      List<Map.Entry<String, String>> params = FormData.parse(new String(body, StandardCharsets.UTF_8), 200);
      // A signature we make ourselves always validates; a fuzzed one almost never does.
      assertThat(s.validForm(url, params, s.sign(url, params))).isTrue();
      s.validForm(url, params, sig);
    } catch (IllegalArgumentException malformed) {
      // not form data
    }
  }

  @FuzzTest(maxDuration = "20s")
  void handler(FuzzedDataProvider data) {
    String url = URLS[data.consumeInt(0, URLS.length - 1)];
    String type = TYPES[data.consumeInt(0, TYPES.length - 1)];
    boolean signCorrectly = data.consumeBoolean();
    String method = data.consumeBoolean() ? "POST" : data.consumeString(8);
    byte[] body = data.consumeRemainingAsBytes();
    String sig = "x";
    if (signCorrectly) {
      try {
        sig = new TwilioSignature(List.of(TOKEN)).sign(url,
            FormData.parse(FormData.Utf8.decodeStrict(body, body.length), 200));
      } catch (IllegalArgumentException notForm) {
        // leave the wrong signature
      }
    }
    WebhookResponse r = HANDLER.handle(method, url, Map.of("Content-Type", List.of(type),
        "X-Twilio-Signature", List.of(sig)), body);
    assertThat(r.status()).isIn(200, 400, 403, 405, 413, 415);
  }
}
