package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.RetryPolicy;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsTransportException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reliability scenarios P1, P2 and W5 driven through the real SmsGateway, twilio-java and a loopback Twilio API. */
@DisplayName("TwilioSmsProvider under SmsGateway")
class TwilioGatewayScenarioTest {

  static final String BASE = "https://sms.example.com";

  FakeTwilioApi api;
  SingleAttemptHttpClient.ClosableNetworkHttpClient http;
  TwilioSmsProvider provider;
  SmsGateway gateway;
  final List<SmsException> failed = new CopyOnWriteArrayList<>();
  final List<InboundSms> routed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    api = new FakeTwilioApi();
    http = api.client(5000);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    http.close();
    api.close();
  }

  void start(TwilioSmsProvider.Builder providerConfig, RetryPolicy retry) {
    provider = providerConfig.accountSid(FakeTwilioApi.ACCOUNT).authToken(FakeTwilioApi.TOKEN).httpClient(http)
        .threads(8).from(Originator.longCode(PhoneNumber.of("+14155550100"))).publicBaseUrl(URI.create(BASE)).build();
    gateway = SmsGateway.builder().provider(provider).retryPolicy(retry).random(new SplittableRandom(11))
        .listener(new GatewayListener() {
          @Override
          public void onFailed(String messageId, SmsException error) {
            failed.add(error);
          }

          @Override
          public void onInbound(InboundSms sms) {
            routed.add(sms);
          }
        }).build();
    gateway.start();
  }

  static String messageIdOf(FakeTwilioApi.Recorded r) {
    String cb = r.param("StatusCallback");
    return cb == null ? null : cb.substring(cb.indexOf("messageId=") + "messageId=".length());
  }

  @Test
  @DisplayName("P1: 429 on half of the requests for 1,000 sends: all accepted through the gateway's retries, no duplicate creates")
  void p1ThrottledHalf() throws Exception {
    Random coin = new Random(1);
    Map<String, AtomicInteger> creates = new ConcurrentHashMap<>();
    AtomicInteger throttled = new AtomicInteger();
    api.respond((r, n) -> {
      boolean reject;
      synchronized (coin) {
        reject = coin.nextBoolean();
      }
      if (reject) {
        throttled.incrementAndGet();
        return FakeTwilioApi.error(429, 20429, "Too Many Requests");
      }
      creates.computeIfAbsent(messageIdOf(r), k -> new AtomicInteger()).incrementAndGet();
      return api.created(r);
    });
    start(TwilioSmsProvider.builder(), new RetryPolicy(40, Duration.ofMillis(1), Duration.ofMillis(20), false));

    List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sends.add(gateway.send(OutboundSms.builder().to(String.format("+1415555%04d", i)).body("Offer " + i).build()));
    }
    List<SendReceipt> receipts = new ArrayList<>();
    for (CompletableFuture<SendReceipt> f : sends) {
      receipts.add(f.get(60, TimeUnit.SECONDS));
    }
    System.out.println("P1: 1000 sends, " + api.requests().size() + " requests, " + throttled.get() + " answered 429, "
        + creates.size() + " distinct creates");
    assertThat(receipts).hasSize(1000).allSatisfy(r -> assertThat(r.providerMessageId()).startsWith("SM"));
    assertThat(failed).isEmpty();
    assertThat(creates).hasSize(1000);
    assertThat(creates.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(receipts.stream().map(SendReceipt::messageId)).containsExactlyInAnyOrderElementsOf(creates.keySet());
    assertThat(api.requests()).hasSize(1000 + throttled.get());
    assertThat(throttled.get()).isGreaterThan(700); // about half of ~2,000 requests
  }

  @Test
  @DisplayName("P2: a 500 after the request arrived is not retried: one request, outcome UNKNOWN, reported to onFailed")
  void p2ServerError() throws Exception {
    api.respond((r, n) -> FakeTwilioApi.error(500, 20500, "Internal Server Error"));
    start(TwilioSmsProvider.builder(), new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(5), false));
    CompletableFuture<SendReceipt> f = gateway.send(OutboundSms.builder().to("+14155550123").body("hi").build());
    try {
      f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SmsTransportException.class);
      assertThat(((SmsException) e.getCause()).possiblyDelivered()).isTrue();
    }
    assertThat(api.requests()).hasSize(1);
    assertThat(failed).hasSize(1);
    String messageId = messageIdOf(api.requests().get(0));
    assertThat(gateway.status(messageId)).hasValueSatisfying(
        rec -> assertThat(rec.status()).isEqualTo(DeliveryStatus.UNKNOWN));
  }

  @Test
  @DisplayName("Twilio 21610 is recorded as an opt-out: the next send to that number never reaches Twilio")
  void unsubscribedBecomesOptOut() throws Exception {
    api.respond((r, n) -> FakeTwilioApi.error(400, 21610, null));
    start(TwilioSmsProvider.builder(), RetryPolicy.defaults());
    CompletableFuture<SendReceipt> first = gateway.send(OutboundSms.builder().to("+14155550123").body("hi").build());
    assertThat(first).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(dev.smsgateway.SmsOptedOutException.class);
    CompletableFuture<SendReceipt> second = gateway.send(OutboundSms.builder().to("+14155550123").body("again").build());
    assertThat(second).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(dev.smsgateway.SmsOptedOutException.class);
    assertThat(api.requests()).hasSize(1);
  }

  @Test
  @DisplayName("W5: with the webhook's own de-duplication off, the gateway's MessageStore lets one of 5 concurrent copies through")
  void w5GatewayDedup() throws Exception {
    start(TwilioSmsProvider.builder().deduplicationWindow(Duration.ZERO), RetryPolicy.none());
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    ExecutorService senders = Executors.newFixedThreadPool(5);
    server.createContext("/twilio/", provider.httpServerHandler());
    server.setExecutor(pool);
    server.start();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      for (int round = 0; round < 10; round++) {
        String sid = WebhookFixtures.sid("SM", 500 + round);
        List<Map.Entry<String, String>> p = WebhookFixtures.inbound(sid, "reply " + round);
        String path = "/twilio/inbound/sales";
        String sig = WebhookFixtures.sign(FakeTwilioApi.TOKEN, BASE + path, p);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          posts.add(senders.submit(() -> {
            go.await();
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", sig)
                .POST(HttpRequest.BodyPublishers.ofString(WebhookFixtures.encode(p))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
          }));
        }
        go.countDown();
        for (Future<Integer> post : posts) {
          assertThat(post.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
      }
    } finally {
      server.stop(0);
      pool.shutdownNow();
      senders.shutdownNow();
    }
    assertThat(routed).hasSize(10);
    assertThat(routed.stream().map(InboundSms::providerMessageId).distinct()).hasSize(10);
  }
}
