package dev.smsgateway.twilio;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.test.SmsProviderCompatibilityKit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The provider kit against twilio-java's real requests to a loopback Twilio API, with inbound messages and status
 * callbacks posted, correctly signed, to the provider's own webhook on a JDK HttpServer.
 */
class TwilioSmsProviderCompatibilityTest extends SmsProviderCompatibilityKit {

  static final String PUBLIC_BASE = "https://sms.example.com";

  FakeTwilioApi api;
  SingleAttemptHttpClient.ClosableNetworkHttpClient http;
  HttpServer webhooks;
  ExecutorService webhookPool;
  final CountDownLatch unblock = new CountDownLatch(1);
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  protected SmsProvider createProvider(ProviderListener listener) throws Exception {
    api = new FakeTwilioApi();
    http = api.client(2000); // the in-flight read of the kit's 'peer stops answering' check ends within 2 s
    TwilioSmsProvider twilio = TwilioSmsProvider.builder().name("twilio-kit").accountSid(FakeTwilioApi.ACCOUNT)
        .authToken(FakeTwilioApi.TOKEN).httpClient(http).threads(2).publicBaseUrl(URI.create(PUBLIC_BASE)).build();
    webhooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhooks.createContext("/twilio/", twilio.httpServerHandler());
    webhookPool = Executors.newFixedThreadPool(2);
    webhooks.setExecutor(webhookPool);
    webhooks.start();
    twilio.start(listener);
    return twilio;
  }

  @Override
  protected void peerSendsInbound(PhoneNumber from, Originator to, String text) throws Exception {
    List<Map.Entry<String, String>> p = List.of(Map.entry("MessageSid", WebhookFixtures.sid("SM", 77)),
        Map.entry("AccountSid", FakeTwilioApi.ACCOUNT), Map.entry("From", from.e164()), Map.entry("To", to.address()),
        Map.entry("Body", text), Map.entry("NumSegments", "1"), Map.entry("NumMedia", "0"),
        Map.entry("SmsStatus", "received"));
    postSigned("/twilio/inbound/kit", p);
  }

  @Override
  protected void peerSendsReport(SendReceipt receipt, DeliveryStatus status) throws Exception {
    String raw = switch (status) {
      case DELIVERED -> "delivered";
      case SENT -> "sent";
      case ACCEPTED -> "queued";
      default -> "undelivered";
    };
    List<Map.Entry<String, String>> p = List.of(Map.entry("MessageSid", receipt.providerMessageId()),
        Map.entry("MessageStatus", raw), Map.entry("SmsStatus", raw), Map.entry("AccountSid", FakeTwilioApi.ACCOUNT));
    postSigned("/twilio/status?messageId=" + receipt.messageId(), p);
  }

  private void postSigned(String pathAndQuery, List<Map.Entry<String, String>> params)
      throws IOException, InterruptedException {
    String signature = WebhookFixtures.sign(FakeTwilioApi.TOKEN, PUBLIC_BASE + pathAndQuery, params);
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + webhooks.getAddress().getPort() + pathAndQuery))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(WebhookFixtures.encode(params))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("webhook answered " + r.statusCode() + ": " + r.body());
    }
  }

  @Override
  protected List<PeerSubmission> peerReceived() {
    return api.requests().stream().map(r -> new PeerSubmission(r.param("To"), r.param("Body"))).toList();
  }

  @Override
  protected boolean peerStopsAnswering() {
    api.respond((r, n) -> {
      try {
        unblock.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    return true;
  }

  @Override
  protected boolean peerSeesParts() {
    return false;
  }

  @Override
  protected void closePeer() throws Exception {
    unblock.countDown();
    if (webhooks != null) {
      webhooks.stop(0);
      webhookPool.shutdownNow();
      webhookPool.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (http != null) {
      http.close();
    }
    if (api != null) {
      api.close();
    }
  }
}
