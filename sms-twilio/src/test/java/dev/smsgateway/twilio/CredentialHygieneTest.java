package dev.smsgateway.twilio;

import static dev.smsgateway.test.SecretAssertions.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.SubmitRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * X2: the auth token, the API key secret, the webhook signing token and webhook URL passwords never show in a
 * {@code toString()} or in an exception (message or cause chain), also when the Twilio stand-in answers 401/403.
 */
class CredentialHygieneTest {

  static final String TOKEN = "S3cr3t-X2-twilio-token";
  static final String API_SECRET = "S3cr3t-X2-twilio-apisecret";
  static final String WEBHOOK_TOKEN = "S3cr3t-X2-twilio-webhook";
  static final String URL_PASSWORD = "S3cr3t-X2-twilio-urlpw";
  static final String API_KEY = "SK" + "7".repeat(32);
  static final String[] SECRETS = {TOKEN, API_SECRET, WEBHOOK_TOKEN, URL_PASSWORD,
      basic(FakeTwilioApi.ACCOUNT, TOKEN), basic(API_KEY, API_SECRET)};
  static final Originator FROM = Originator.longCode(PhoneNumber.of("+14155550100"));
  static final URI BASE = URI.create("https://twilio:" + URL_PASSWORD + "@sms.example.com/hooks");

  FakeTwilioApi api;
  SingleAttemptHttpClient.ClosableNetworkHttpClient http;
  TwilioSmsProvider provider;

  @BeforeEach
  void start() throws Exception {
    api = new FakeTwilioApi();
    http = api.client(2000);
  }

  @AfterEach
  void stop() throws Exception {
    if (provider != null) {
      provider.close();
    }
    http.close();
    api.close();
  }

  static String basic(String user, String secret) {
    return Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  TwilioSmsProvider.Builder tokenBuilder() {
    return TwilioSmsProvider.builder().name("x2").accountSid(FakeTwilioApi.ACCOUNT).authToken(TOKEN)
        .webhookAuthToken(WEBHOOK_TOKEN).httpClient(http).threads(1).from(FROM).publicBaseUrl(BASE);
  }

  TwilioSmsProvider.Builder apiKeyBuilder() {
    return TwilioSmsProvider.builder().name("x2").accountSid(FakeTwilioApi.ACCOUNT).apiKey(API_KEY, API_SECRET)
        .webhookAuthToken(WEBHOOK_TOKEN).httpClient(http).threads(1).from(FROM);
  }

  static ProviderListener listener() {
    return new ProviderListener() {
      @Override
      public void onInbound(InboundSms sms) {}

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    };
  }

  static SubmitRequest request(String id) {
    return SubmitRequest.builder().messageId(id).to(PhoneNumber.of("+14155550123")).body("hello").build();
  }

  @Test
  @DisplayName("toString of the builders, the provider, its webhook handlers and the HTTP client shows no credential")
  void toStringsShowNoCredential() {
    TwilioSmsProvider.Builder b = tokenBuilder();
    assertNoSecret(b, SECRETS);
    provider = b.build();
    provider.start(listener());
    assertNoSecret(provider, SECRETS);
    assertNoSecret(provider.webhookHandler(), SECRETS);
    TwilioHttpServerHandler server = provider.httpServerHandler();
    assertThat(server.toString()).contains("sms.example.com/hooks");
    assertNoSecret(server, SECRETS);
    assertNoSecret(http, SECRETS);
    assertNoSecret(apiKeyBuilder(), SECRETS);
    TwilioWebhookHandler.Builder hb = TwilioWebhookHandler.builder().authToken(TOKEN, WEBHOOK_TOKEN)
        .listener(listener());
    assertNoSecret(hb, SECRETS);
    assertNoSecret(hb.build(), SECRETS);
    assertNoSecret(new TwilioSignature(List.of(TOKEN, WEBHOOK_TOKEN)), SECRETS);
    try (TwilioSmsProvider withKey = apiKeyBuilder().build()) {
      assertNoSecret(withKey, SECRETS);
    }
  }

  @Test
  @DisplayName("a provider created by name from settings shows no credential")
  void createdBySettings() {
    Map<String, String> settings = Map.of("twilio.accountSid", FakeTwilioApi.ACCOUNT, "twilio.authToken", TOKEN,
        "twilio.webhookAuthToken", WEBHOOK_TOKEN, "twilio.from", "+14155550100",
        "twilio.publicBaseUrl", BASE.toString());
    try (SmsProvider p = SmsProviders.create("twilio", "x2", settings::get)) {
      assertNoSecret(p, SECRETS);
    }
    Map<String, String> keyed = Map.of("twilio.accountSid", FakeTwilioApi.ACCOUNT, "twilio.apiKey", API_KEY,
        "twilio.apiSecret", API_SECRET, "twilio.from", "+14155550100");
    try (SmsProvider p = SmsProviders.create("twilio", "x2", keyed::get)) {
      assertNoSecret(p, SECRETS);
    }
  }

  static Stream<Arguments> refusals() {
    String echo = "{\"code\":20003,\"message\":\"Authenticate: request had Authorization: Basic "
        + basic(FakeTwilioApi.ACCOUNT, TOKEN) + " and Basic " + basic(API_KEY, API_SECRET) + "\",\"status\":401}";
    return Stream.of(
        Arguments.of("401 as Twilio answers it", 401, "{\"code\":20003,\"detail\":\"Your AccountSid or AuthToken was"
            + " incorrect.\",\"message\":\"Authentication Error - invalid username\",\"more_info\":"
            + "\"https://www.twilio.com/docs/errors/20003\",\"status\":401}"),
        Arguments.of("401 echoing the Authorization header", 401, echo),
        Arguments.of("403 without a Twilio body", 403, "<html>Forbidden for " + TOKEN + "</html>"),
        Arguments.of("500 echoing the token", 500, "{\"code\":null,\"message\":\"authToken=" + TOKEN + "\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  @DisplayName("a refused create (token and API key) fails with an error whose message and causes hold no credential")
  void refusedCreate(String what, int status, String body) throws Exception {
    api.respond((r, n) -> new FakeTwilioApi.Reply(status, body, Map.of("Content-Type",
        body.startsWith("{") ? "application/json" : "text/html")));
    for (Function<CredentialHygieneTest, TwilioSmsProvider.Builder> b :
        List.<Function<CredentialHygieneTest, TwilioSmsProvider.Builder>>of(t -> t.tokenBuilder(),
            t -> t.apiKeyBuilder())) {
      try (TwilioSmsProvider p = b.apply(this).build()) {
        p.start(listener());
        Throwable t = catchThrowable(() -> p.send(request("x2-" + status)).get(10, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(SmsException.class);
        assertNoSecret(t.getCause(), SECRETS);
        assertNoSecret(p, SECRETS);
      }
    }
    assertThat(api.requests()).hasSize(2);
    assertThat(api.requests()).allSatisfy(r -> assertThat(r.authorization()).startsWith("Basic "));
    if (status == 401) {
      assertThat(catchThrowable(() -> {
        try (TwilioSmsProvider p = tokenBuilder().build()) {
          p.start(listener());
          p.send(request("x2-again")).get(10, TimeUnit.SECONDS);
        }
      }).getCause()).isInstanceOf(SmsConfigurationException.class);
    }
  }

  static Stream<Arguments> badUrls() {
    return Stream.of(
        Arguments.of("statusCallback not http", (Runnable) () -> TwilioSmsProvider.builder()
            .statusCallback(URI.create("ftp://twilio:" + URL_PASSWORD + "@sms.example.com/status"))),
        Arguments.of("publicBaseUrl with a query", (Runnable) () -> TwilioSmsProvider.builder()
            .publicBaseUrl(URI.create("https://twilio:" + URL_PASSWORD + "@sms.example.com/hooks?x=1"))),
        Arguments.of("webhook URL helper", (Runnable) () -> TwilioWebhookUrls.inbound(
            URI.create("https://twilio:" + URL_PASSWORD + "@sms.example.com/hooks#f"), "sales")),
        Arguments.of("HTTP handler base", (Runnable) () -> new TwilioHttpServerHandler(
            TwilioWebhookHandler.builder().authToken(TOKEN).listener(listener()).build(),
            URI.create("https://twilio:" + URL_PASSWORD + "@sms.example.com/hooks?debug=1"))),
        Arguments.of("settings: unparsable statusCallback", (Runnable) () -> SmsProviders.create("twilio", "x2",
            Map.of("twilio.accountSid", FakeTwilioApi.ACCOUNT, "twilio.authToken", TOKEN, "twilio.from",
                "+14155550100", "twilio.statusCallback", "https://twilio:" + URL_PASSWORD + "@sms.example.com/a b")
                ::get)),
        Arguments.of("settings: API key without its secret pairs", (Runnable) () -> SmsProviders.create("twilio",
            "x2", Map.of("twilio.accountSid", FakeTwilioApi.ACCOUNT, "twilio.apiSecret", API_SECRET, "twilio.from",
                "+14155550100")::get)),
        Arguments.of("settings: rest client and credentials", (Runnable) () -> TwilioSmsProvider.builder()
            .restClient(new com.twilio.http.TwilioRestClient.Builder(FakeTwilioApi.ACCOUNT, TOKEN).build())
            .authToken(TOKEN).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUrls")
  @DisplayName("a refused setting never quotes a token or a URL password")
  void refusedSettings(String what, Runnable action) {
    Throwable t = catchThrowable(action::run);
    assertThat(t).as(what).isInstanceOf(SmsException.class);
    assertNoSecret(t, SECRETS);
  }

  @Test
  @DisplayName("a webhook with a wrong signature is refused without the expected signature or token in the answer")
  void forgedWebhook() throws Exception {
    provider = tokenBuilder().build();
    provider.start(listener());
    List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 7), "hello");
    String url = "https://sms.example.com/hooks/twilio/inbound/sales";
    String genuine = WebhookFixtures.sign(WEBHOOK_TOKEN, url, p);
    WebhookResponse r = provider.webhookHandler().handle("POST", url,
        WebhookFixtures.headers(WebhookFixtures.sign("not-the-token", url, p)),
        WebhookFixtures.encode(p).getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(403);
    assertNoSecret(r, SECRETS);
    assertNoSecret(r, genuine);
  }
}
