package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "onSent followed by delivery reports" with Twilio: a status callback (whose URL carries our message id) that reaches
 * the webhook before twilio-java has the create call's answer is announced after onSent. Real twilio-java against the
 * loopback Twilio API; the callback is a signed POST to the provider's own webhook handler on a JDK HttpServer.
 */
class TwilioReportOrderTest {

  static final String BASE = "https://sms.example.com";
  static final Pattern SID = Pattern.compile("\"sid\":\"(SM[0-9a-f]{32})\"");

  FakeTwilioApi api;
  SingleAttemptHttpClient.ClosableNetworkHttpClient http;
  HttpServer webhooks;
  ExecutorService webhookThreads;
  TwilioSmsProvider provider;
  SmsGateway gateway;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> callbackStatus = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws Exception {
    api = new FakeTwilioApi();
    http = api.client(5000);
    provider = TwilioSmsProvider.builder().accountSid(FakeTwilioApi.ACCOUNT).authToken(FakeTwilioApi.TOKEN)
        .httpClient(http).from(Originator.longCode(PhoneNumber.of("+14155550100")))
        .publicBaseUrl(URI.create(BASE)).build();
    webhooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhookThreads = Executors.newFixedThreadPool(2);
    webhooks.createContext("/twilio/", provider.httpServerHandler());
    webhooks.setExecutor(webhookThreads);
    webhooks.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    webhooks.stop(0);
    webhookThreads.shutdownNow();
    http.close();
    api.close();
  }

  /** Twilio's status callback for {@code sid}, signed, posted to the URL the create request asked for. */
  int postStatus(String statusCallback, String sid, String status) throws Exception {
    List<Map.Entry<String, String>> params = WebhookFixtures.status(sid, status, null);
    String signature = WebhookFixtures.sign(FakeTwilioApi.TOKEN, statusCallback, params);
    URI local = URI.create("http://127.0.0.1:" + webhooks.getAddress().getPort()
        + statusCallback.substring(BASE.length()));
    return client.send(HttpRequest.newBuilder(local).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(
            WebhookFixtures.encode(params))).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  @DisplayName("a status callback handled before the create call's answer reaches listeners after their onSent")
  void callbackBeforeCreateAnswer() throws Exception {
    api.respond((r, n) -> {
      FakeTwilioApi.Reply created = api.created(r);
      Matcher m = SID.matcher(created.body());
      assertThat(m.find()).isTrue();
      try {
        // Twilio has the message and reports on it before its answer to the create call reaches us
        callbackStatus.add(postStatus(r.param("StatusCallback"), m.group(1), "sent"));
        callbackStatus.add(postStatus(r.param("StatusCallback"), m.group(1), "delivered"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return created;
    });
    gateway = SmsGateway.builder().provider(provider).listener(new Recorder("first"))
        .listener(new Recorder("second")).build();
    gateway.start();
    SendReceipt receipt = gateway.send(OutboundSms.builder().to("+14155550123").body("Hi").build())
        .get(10, TimeUnit.SECONDS);
    assertThat(callbackStatus).containsExactly(200, 200);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (events.size() < 6 && System.nanoTime() < deadline) {
      Thread.sleep(5); // the held reports are announced just after the future completes, on the provider's thread
    }
    assertThat(events).containsExactly("first:sent", "second:sent", "first:report:SENT", "second:report:SENT",
        "first:report:DELIVERED", "second:report:DELIVERED");
    assertThat(gateway.status(receipt.messageId()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
  }

  /** Records sent and report events, prefixed with a name. */
  final class Recorder implements GatewayListener {
    final String name;

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public void onSent(SendReceipt receipt) {
      events.add(name + ":sent");
    }

    @Override
    public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
      events.add(name + ":report:" + merged);
    }
  }
}
