package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("TwilioSmsProvider against a loopback server receiving twilio-java's real requests")
class TwilioSmsProviderTest {

  static final PhoneNumber TO = PhoneNumber.of("+14155550123");
  static final Originator FROM = Originator.longCode(PhoneNumber.of("+14155550100"));
  static final String SERVICE = "MG" + "11111111111111111111111111111111";

  FakeTwilioApi api;
  SingleAttemptHttpClient.ClosableNetworkHttpClient http;
  ExecutorService executor;
  TwilioSmsProvider provider;

  @BeforeEach
  void setUp() throws Exception {
    api = new FakeTwilioApi();
    http = api.client(5000);
    executor = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (provider != null) {
      provider.close();
    }
    http.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    api.close();
  }

  TwilioSmsProvider.Builder builder() {
    return TwilioSmsProvider.builder().accountSid(FakeTwilioApi.ACCOUNT).authToken(FakeTwilioApi.TOKEN)
        .httpClient(http).executor(executor).from(FROM);
  }

  static SubmitRequest.Builder request(String id) {
    return SubmitRequest.builder().messageId(id).to(TO).body("Hello from the agent");
  }

  static SmsException failure(CompletableFuture<?> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SmsException.class);
      return (SmsException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  @Nested
  @DisplayName("what reaches the wire")
  class Wire {

    @Test
    @DisplayName("a send posts To, From, Body, StatusCallback with our message id, ValidityPeriod, MediaUrl and SmartEncoded with Basic auth")
    void allFields() throws Exception {
      provider = builder().publicBaseUrl(URI.create("https://sms.example.com/hooks")).smartEncoded(true).build();
      api.segments = "2"; // Twilio's count wins over our plan (1 part) when it gives one
      SendReceipt receipt = provider.send(request("m-1").validity(Duration.ofMinutes(10))
          .mediaUrls(List.of(URI.create("https://cdn.example.com/a.png"), URI.create("https://cdn.example.com/b.jpg")))
          .build()).get(10, TimeUnit.SECONDS);

      assertThat(api.requests()).hasSize(1);
      FakeTwilioApi.Recorded r = api.requests().get(0);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.host()).isEqualTo("api.twilio.com");
      assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + FakeTwilioApi.ACCOUNT + "/Messages.json");
      assertThat(r.contentType()).startsWith("application/x-www-form-urlencoded");
      assertThat(r.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
          (FakeTwilioApi.ACCOUNT + ":" + FakeTwilioApi.TOKEN).getBytes(StandardCharsets.UTF_8)));
      assertThat(r.param("To")).isEqualTo("+14155550123");
      assertThat(r.param("From")).isEqualTo("+14155550100");
      assertThat(r.param("MessagingServiceSid")).isNull();
      assertThat(r.param("Body")).isEqualTo("Hello from the agent");
      assertThat(r.param("StatusCallback")).isEqualTo("https://sms.example.com/hooks/twilio/status?messageId=m-1");
      assertThat(r.param("ValidityPeriod")).isEqualTo("600");
      assertThat(r.params("MediaUrl")).containsExactly("https://cdn.example.com/a.png", "https://cdn.example.com/b.jpg");
      assertThat(r.param("SmartEncoded")).isEqualTo("true");

      assertThat(receipt.messageId()).isEqualTo("m-1");
      assertThat(receipt.provider()).isEqualTo("twilio");
      assertThat(receipt.providerMessageId()).startsWith("SM").hasSize(34);
      assertThat(receipt.parts()).isEqualTo(2);
      assertThat(receipt.details()).containsEntry("status", "queued").containsEntry("price", "-0.01580")
          .containsEntry("priceUnit", "USD").containsEntry("numSegments", "2");
    }

    @Test
    @DisplayName("without a sender the Messaging Service is used; no StatusCallback when no report is requested")
    void messagingService() throws Exception {
      provider = builder().from(null).messagingServiceSid(SERVICE).statusCallback(URI.create("https://cb.example.com/s"))
          .build();
      provider.send(request("m-2").deliveryReport(false).build()).get(10, TimeUnit.SECONDS);
      provider.send(request("m-3").build()).get(10, TimeUnit.SECONDS);
      FakeTwilioApi.Recorded first = api.requests().get(0);
      assertThat(first.param("MessagingServiceSid")).isEqualTo(SERVICE);
      assertThat(first.param("From")).isNull();
      assertThat(first.param("StatusCallback")).isNull();
      assertThat(first.param("SmartEncoded")).isNull();
      assertThat(api.requests().get(1).param("StatusCallback")).isEqualTo("https://cb.example.com/s?messageId=m-3");
    }

    @Test
    @DisplayName("a per-message sender wins over the default and is sent along with the Messaging Service")
    void perMessageSender() throws Exception {
      provider = builder().messagingServiceSid(SERVICE).build();
      provider.send(request("m-4").from(Originator.alphanumeric("ACME")).build()).get(10, TimeUnit.SECONDS);
      FakeTwilioApi.Recorded r = api.requests().get(0);
      assertThat(r.param("From")).isEqualTo("ACME");
      assertThat(r.param("MessagingServiceSid")).isEqualTo(SERVICE);
    }

    @Test
    @DisplayName("an API key authenticates as key:secret on the account's URL")
    void apiKey() throws Exception {
      provider = TwilioSmsProvider.builder().accountSid(FakeTwilioApi.ACCOUNT).apiKey("SK" + "2".repeat(32), "key-secret")
          .httpClient(http).executor(executor).from(FROM).build();
      provider.send(request("m-5").build()).get(10, TimeUnit.SECONDS);
      FakeTwilioApi.Recorded r = api.requests().get(0);
      assertThat(r.path()).contains(FakeTwilioApi.ACCOUNT);
      assertThat(r.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
          ("SK" + "2".repeat(32) + ":key-secret").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("an application-owned TwilioRestClient is used as it is when its HttpClient sends once")
    void ownRestClient() throws Exception {
      TwilioRestClient client = new TwilioRestClient.Builder(FakeTwilioApi.ACCOUNT, FakeTwilioApi.TOKEN)
          .httpClient(SingleAttemptHttpClient.wrap(http)).build();
      provider = TwilioSmsProvider.builder().restClient(client).executor(executor).from(FROM).build();
      provider.send(request("m-6").build()).get(10, TimeUnit.SECONDS);
      assertThat(api.requests()).hasSize(1);
      assertThatThrownBy(() -> provider.webhookHandler()).isInstanceOf(SmsConfigurationException.class)
          .hasMessageContaining("webhookAuthToken");
    }

    @Test
    @DisplayName("a TwilioRestClient with twilio-java's retrying HttpClient is refused with a fix")
    void retryingRestClientRefused() {
      TwilioRestClient client = new TwilioRestClient.Builder(FakeTwilioApi.ACCOUNT, FakeTwilioApi.TOKEN)
          .httpClient(new NetworkHttpClient()).build();
      assertThatThrownBy(() -> TwilioSmsProvider.builder().restClient(client).build())
          .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("SingleAttemptHttpClient.wrap");
    }
  }

  @Nested
  @DisplayName("bad input fails before the wire")
  class Validation {

    @Test
    @DisplayName("bodies over 1,600 characters, more than 10 media URLs, non-http media and out-of-range validity")
    void rejectedLocally() {
      provider = builder().build();
      assertThat(failure(provider.send(request("v1").body("x".repeat(1601)).build())))
          .isInstanceOf(SmsValidationException.class).hasMessageContaining("body").hasMessageContaining("1600");
      List<URI> eleven = Collections.nCopies(11, URI.create("https://cdn.example.com/x.png"));
      assertThat(failure(provider.send(request("v2").mediaUrls(eleven).build())))
          .isInstanceOf(SmsValidationException.class).hasMessageContaining("mediaUrls");
      assertThat(failure(provider.send(request("v3").mediaUrls(List.of(URI.create("file:///etc/passwd"))).build())))
          .isInstanceOf(SmsValidationException.class).hasMessageContaining("mediaUrls");
      assertThat(failure(provider.send(request("v4").validity(Duration.ofHours(11)).build())))
          .isInstanceOf(SmsValidationException.class).hasMessageContaining("validity");
      assertThat(failure(provider.send(request("v5").body("").build())))
          .isInstanceOf(SmsValidationException.class).hasMessageContaining("body");
      assertThat(api.requests()).isEmpty();
    }

    @Test
    @DisplayName("no sender and no Messaging Service is a configuration error")
    void noSender() {
      provider = builder().from(null).build();
      assertThat(failure(provider.send(request("v6").build()))).isInstanceOf(SmsConfigurationException.class)
          .hasMessageContaining("twilio.from");
      assertThat(api.requests()).isEmpty();
    }

    @Test
    @DisplayName("null arguments fail fast with NullPointerException naming the argument")
    void nulls() {
      provider = builder().build();
      assertThatThrownBy(() -> provider.send(null)).isInstanceOf(NullPointerException.class).hasMessage("request == null");
      assertThatThrownBy(() -> provider.start(null)).isInstanceOf(NullPointerException.class).hasMessage("listener == null");
    }
  }

  @Nested
  @DisplayName("errors Twilio answers")
  class Errors {

    @Test
    @DisplayName("21211 is rejected, 21610 is an opt-out of the recipient, 20003 a configuration error")
    void codes() {
      provider = builder().build();
      api.respond((r, n) -> FakeTwilioApi.error(400, 21211, "The 'To' number is not a valid phone number."));
      SmsException e = failure(provider.send(request("e1").build()));
      assertThat(e).isInstanceOf(SmsRejectedException.class);
      assertThat(e.providerCode()).contains("21211");
      assertThat(e.retryable()).isFalse();

      api.respond((r, n) -> FakeTwilioApi.error(400, 21610, null)); // ApiException with a null message
      SmsException optOut = failure(provider.send(request("e2").build()));
      assertThat(optOut).isInstanceOf(SmsOptedOutException.class);
      assertThat(((SmsOptedOutException) optOut).recipient()).isEqualTo(TO);
      assertThat(optOut.getMessage()).doesNotContain(TO.e164());

      api.respond((r, n) -> FakeTwilioApi.error(401, 20003, "Authenticate"));
      assertThat(failure(provider.send(request("e3").build()))).isInstanceOf(SmsConfigurationException.class)
          .hasMessageContaining("twilio.authToken").hasMessageNotContaining(FakeTwilioApi.TOKEN);
    }

    @Test
    @DisplayName("429 is throttled with the Retry-After the server asked for, and sent once")
    void throttled() {
      provider = builder().build();
      api.respond((r, n) -> new FakeTwilioApi.Reply(429,
          "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}",
          Map.of("Content-Type", "application/json", "Retry-After", "3")));
      SmsException e = failure(provider.send(request("t1").build()));
      assertThat(e).isInstanceOf(SmsThrottledException.class);
      assertThat(e.retryable()).isTrue();
      assertThat(((SmsThrottledException) e).retryAfter()).contains(Duration.ofSeconds(3));
      assertThat(api.requests()).hasSize(1);
    }

    @Test
    @DisplayName("P2: a 500 after the request arrived reaches the server exactly once and is possiblyDelivered")
    void serverError() {
      provider = builder().build();
      api.respond((r, n) -> FakeTwilioApi.error(500, 20500, "Internal Server Error"));
      SmsException e = failure(provider.send(request("p2").build()));
      assertThat(e).isInstanceOf(SmsTransportException.class);
      assertThat(e.possiblyDelivered()).isTrue();
      assertThat(e.providerCode()).isPresent();
      assertThat(api.requests()).hasSize(1);
    }

    @Test
    @DisplayName("P2: a 503 with an HTML body (no Twilio code) is possiblyDelivered, sent once")
    void serverErrorHtml() {
      provider = builder().build();
      api.respond((r, n) -> new FakeTwilioApi.Reply(503, "<html>upstream unavailable</html>", Map.of("Content-Type", "text/html")));
      SmsException e = failure(provider.send(request("p2b").build()));
      assertThat(e).isInstanceOf(SmsTransportException.class);
      assertThat(e.possiblyDelivered()).isTrue();
      assertThat(api.requests()).hasSize(1);
    }

    @Test
    @DisplayName("control: twilio-java's own HttpClient sends a create 3 times on a 500, which is why the provider wraps it")
    void twilioJavaRetriesOnItsOwn() {
      api.respond((r, n) -> FakeTwilioApi.error(500, 20500, "Internal Server Error"));
      TwilioRestClient raw = new TwilioRestClient.Builder(FakeTwilioApi.ACCOUNT, FakeTwilioApi.TOKEN).httpClient(http).build();
      assertThatThrownBy(() -> com.twilio.rest.api.v2010.account.Message.creator(
          new com.twilio.type.PhoneNumber(TO.e164()), new com.twilio.type.PhoneNumber(FROM.address()), "x").create(raw))
          .isInstanceOf(com.twilio.exception.ApiException.class);
      assertThat(api.requests()).hasSize(3);
    }

    @Test
    @DisplayName("a 201 whose body cannot be read is possiblyDelivered (the message exists)")
    void unreadableSuccess() {
      provider = builder().build();
      api.respond((r, n) -> FakeTwilioApi.Reply.json(201, "{not json"));
      SmsException e = failure(provider.send(request("u1").build()));
      assertThat(e).isInstanceOf(SmsTransportException.class);
      assertThat(e.possiblyDelivered()).isTrue();
    }

    @Test
    @DisplayName("a read timeout after the request was sent is possiblyDelivered; a refused connection is not")
    void timeouts() throws Exception {
      SingleAttemptHttpClient.ClosableNetworkHttpClient slow = api.client(300);
      CountDownLatch release = new CountDownLatch(1);
      try {
        provider = builder().httpClient(slow).build();
        api.respond((r, n) -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return api.created(r);
        });
        SmsException e = failure(provider.send(request("to1").build()));
        release.countDown();
        assertThat(e).isInstanceOf(SmsTransportException.class);
        assertThat(e.possiblyDelivered()).isTrue();
        assertThat(api.requests()).hasSize(1);
      } finally {
        release.countDown();
        slow.close();
      }

      int closedPort;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort();
      }
      org.apache.hc.core5.http.HttpHost dead = new org.apache.hc.core5.http.HttpHost("http", "127.0.0.1", closedPort);
      SingleAttemptHttpClient.ClosableNetworkHttpClient refused = new SingleAttemptHttpClient.ClosableNetworkHttpClient(
          SingleAttemptHttpClient.apacheBuilder(1000, 1000, 2)
              .setRoutePlanner((h, c) -> new org.apache.hc.client5.http.HttpRoute(dead)));
      try (TwilioSmsProvider p = builder().httpClient(refused).build()) {
        SmsException e = failure(p.send(request("cr1").build()));
        assertThat(e).isInstanceOf(SmsTransportException.class);
        assertThat(e.possiblyDelivered()).isFalse();
        assertThat(e.getMessage()).contains("not sent");
      } finally {
        refused.close();
      }
    }
  }

  @Nested
  @DisplayName("life cycle")
  class LifeCycle {

    @Test
    @DisplayName("start reports CONNECTED once; close reports CLOSED, is idempotent, and later sends fail not-sent")
    void startClose() {
      provider = builder().build();
      List<ProviderState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
      ProviderListener l = new ProviderListener() {
        @Override
        public void onInbound(InboundSms sms) {}

        @Override
        public void onDeliveryReport(DeliveryReport report) {}

        @Override
        public void onStateChange(String p, ProviderState state, String detail) {
          states.add(state);
        }
      };
      provider.start(l);
      assertThatThrownBy(() -> provider.start(l)).isInstanceOf(IllegalStateException.class);
      provider.close();
      provider.close();
      assertThat(states).containsExactly(ProviderState.CONNECTED, ProviderState.CLOSED);
      SmsException e = failure(provider.send(request("c1").build()));
      assertThat(e).isInstanceOf(SmsTransportException.class);
      assertThat(e.possiblyDelivered()).isFalse();
      assertThat(api.requests()).isEmpty();
    }

    @Test
    @DisplayName("a provider with its own pool and HTTP client releases its threads on close")
    void ownResources() throws Exception {
      TwilioSmsProvider own = TwilioSmsProvider.builder().accountSid(FakeTwilioApi.ACCOUNT).authToken(FakeTwilioApi.TOKEN)
          .from(FROM).threads(2).build();
      own.close();
      boolean leftover = Thread.getAllStackTraces().keySet().stream()
          .anyMatch(t -> t.getName().startsWith("sms-twilio-twilio-") && t.isAlive());
      assertThat(leftover).isFalse();
    }

    @Test
    @DisplayName("toString shows neither the auth token nor whole numbers")
    void noSecrets() {
      provider = builder().build();
      assertThat(provider.toString()).doesNotContain(FakeTwilioApi.TOKEN).doesNotContain("+14155550100");
      assertThat(builder().toString()).doesNotContain(FakeTwilioApi.TOKEN);
    }
  }

  @Nested
  @DisplayName("ServiceLoader factory")
  class Factory {

    @Test
    @DisplayName("type twilio builds a provider from settings; missing settings name the key")
    void settings() {
      assertThat(SmsProviders.types()).contains("twilio");
      Map<String, String> s = new HashMap<>();
      assertThatThrownBy(() -> SmsProviders.create("twilio", s::get)).isInstanceOf(SmsConfigurationException.class)
          .hasMessageContaining("twilio.accountSid");
      s.put("twilio.accountSid", FakeTwilioApi.ACCOUNT);
      assertThatThrownBy(() -> SmsProviders.create("twilio", s::get)).hasMessageContaining("twilio.authToken");
      s.put("twilio.authToken", FakeTwilioApi.TOKEN);
      assertThatThrownBy(() -> SmsProviders.create("twilio", s::get)).hasMessageContaining("twilio.messagingServiceSid");
      s.put("twilio.from", "+14155550100");
      s.put("twilio.smartEncoded", "maybe");
      assertThatThrownBy(() -> SmsProviders.create("twilio", s::get)).hasMessageContaining("twilio.smartEncoded");
      s.put("twilio.smartEncoded", "true");
      s.put("twilio.readTimeout", "30s");
      assertThatThrownBy(() -> SmsProviders.create("twilio", s::get)).hasMessageContaining("twilio.readTimeout");
      s.put("twilio.readTimeout", "PT20S");
      s.put("twilio.publicBaseUrl", "https://sms.example.com");
      s.put("twilio.threads", "2");
      try (var p = (TwilioSmsProvider) SmsProviders.create("twilio", "tw-eu", s::get)) {
        assertThat(p.name()).isEqualTo("tw-eu");
        assertThat(p.webhookHandler()).isNotNull();
        assertThat(p.httpServerHandler()).isNotNull();
      }
    }
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw e;
    }
  }
}
