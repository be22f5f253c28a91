package dev.smsgateway.eum;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.test.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

/** W1: malformed requests against the SNS endpoint served by the JDK HTTP server. */
@DisplayName("W1: the SNS endpoint under malformed traffic")
class SnsWebhookRobustnessTest {

  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final TestCa CA = TestCa.create("w1 root", START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(30)));
  static final TestCa.Signer SIGNER = CA.issue("sns.amazonaws.com", START.minus(Duration.ofDays(1)),
      START.plus(Duration.ofDays(30)));

  static LoopbackHttpServer aws;
  static PinpointSmsVoiceV2AsyncClient smsVoice;
  EumSmsProvider provider;
  TestSupport.RecordingListener listener;
  SnsWebhookHandler handler;
  HttpServer server;
  ExecutorService serverThreads;
  URI endpoint;
  ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void startAws() throws Exception {
    aws = new LoopbackHttpServer(r -> LoopbackHttpServer.Reply.json(200, "{}"));
    smsVoice = TestSupport.smsVoice(aws.uri(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stopAws() {
    smsVoice.close();
    aws.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    provider = EumSmsProvider.builder().name("w1").smsVoiceClient(smsVoice).build();
    listener = new TestSupport.RecordingListener();
    provider.start(listener);
    handler = SnsWebhookHandler.builder(provider)
        .allowTopicArns(List.of(SnsTestMessages.TOPIC))
        .certificateFetcher(new TestSupport.CountingFetcher(Map.of(SnsTestMessages.CERT_URL, SIGNER.pem())))
        .trustAnchors(Set.of(CA.anchor()))
        .clock(new MutableClock(START))
        .build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    server.createContext("/sns", handler.httpHandler());
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sns");
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger("dev.smsgateway.eum")).addAppender(logs);
  }

  @AfterEach
  void tearDown() throws Exception {
    ((Logger) LoggerFactory.getLogger("dev.smsgateway.eum")).detachAppender(logs);
    server.stop(0);
    serverThreads.shutdownNow();
    serverThreads.awaitTermination(5, TimeUnit.SECONDS);
    provider.close();
  }

  @Test
  @DisplayName("10,000 malformed requests: no crash, no 5xx from exceptions, and a valid request is served after")
  void malformedTraffic() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Random random = new Random(20261123);
    String genuine = new SnsTestMessages(SIGNER).sign(SnsTestMessages.notification(SnsTestMessages.TOPIC,
        SnsTestMessages.twoWay("+14255550182", "+12125550101", "hello", "in-w1"), START));
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger transportErrors = new AtomicInteger();
    Semaphore inFlight = new Semaphore(8);
    int total = 10_000;
    for (int i = 0; i < total; i++) {
      HttpRequest request = malformed(i, random, genuine);
      inFlight.acquire();
      client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
        if (e != null) {
          transportErrors.incrementAndGet();
        } else {
          statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        }
        inFlight.release();
      });
    }
    inFlight.acquire(8);
    inFlight.release(8);

    Map<Integer, Integer> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.get()));
    int answered = byStatus.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(answered + transportErrors.get()).isEqualTo(total);
    assertThat(transportErrors.get()).as("requests without an HTTP answer").isZero();
    assertThat(byStatus.keySet()).as("statuses %s", byStatus).allMatch(s -> s >= 400 && s < 500);
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("unexpectedly")
        || e.getLevel().toString().equals("ERROR"));
    assertThat(listener.inbound).isEmpty();
    System.out.println("W1 statuses for " + total + " malformed requests: " + byStatus);

    HttpResponse<String> ok = client.send(HttpRequest.newBuilder(endpoint)
        .POST(HttpRequest.BodyPublishers.ofString(genuine)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(listener.inbound).hasSize(1);
  }

  HttpRequest malformed(int i, Random random, String genuine) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10));
    switch (i % 12) {
      case 0 -> {
        byte[] bytes = new byte[random.nextInt(2048)];
        random.nextBytes(bytes);
        b.POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
      }
      case 1 -> b.POST(HttpRequest.BodyPublishers.ofString("[".repeat(5000) + "]".repeat(5000)));
      case 2 -> b.POST(HttpRequest.BodyPublishers.ofString("{\"a\":".repeat(2000) + "1" + "}".repeat(2000)));
      case 3 -> b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("Type=Notification&MessageId=1"));
      case 4 -> b.POST(HttpRequest.BodyPublishers.ofString(genuine.substring(0, random.nextInt(genuine.length()))));
      case 5 -> b.POST(HttpRequest.BodyPublishers.ofString("{\"Type\":123,\"MessageId\":[],\"TopicArn\":{}}"));
      case 6 -> b.POST(HttpRequest.BodyPublishers.ofString(genuine.replace("\"Type\":\"Notification\"",
          "\"Type\":\"Notification\",\"Type\":\"SubscriptionConfirmation\"")));
      case 7 -> b.method(random.nextBoolean() ? "PUT" : "DELETE", HttpRequest.BodyPublishers.ofString(genuine));
      case 8 -> b.GET();
      case 9 -> b.POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + "9".repeat(5000) + "}"));
      case 10 -> b.header("x-amz-sns-message-type", "SubscriptionConfirmation")
          .POST(HttpRequest.BodyPublishers.ofString(genuine));
      default -> {
        byte[] bad = genuine.getBytes(StandardCharsets.UTF_8);
        bad[random.nextInt(bad.length)] = (byte) (0x80 | random.nextInt(0x40)); // invalid UTF-8
        b.POST(HttpRequest.BodyPublishers.ofByteArray(bad));
      }
    }
    return b.build();
  }

  @Test
  @DisplayName("a 10 MiB body is refused with 413 from its Content-Length, before it is read")
  void hugeBodyOverSocket() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /sns HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
          + (10 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[64 * 1024]); // a first chunk; the rest is never sent
      out.flush();
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(status).isEqualTo("HTTP/1.1 413");
    }
    // the server still serves
    HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("the body cap holds without Content-Length: at most cap + 1 bytes are read from an endless stream")
  void capBeforeBuffering() {
    AtomicLong read = new AtomicLong();
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        read.incrementAndGet();
        return '{';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) '{');
        read.addAndGet(len);
        return len;
      }
    };
    WebhookResponse response = handler.handle("POST", endpoint, Map.of(), endless);
    assertThat(response.status()).isEqualTo(413);
    assertThat(read.get()).isLessThanOrEqualTo(SnsWebhookHandler.DEFAULT_MAX_BODY_BYTES + 1);

    AtomicLong touched = new AtomicLong();
    InputStream counting = new InputStream() {
      @Override
      public int read() throws IOException {
        touched.incrementAndGet();
        return -1;
      }
    };
    WebhookResponse declared = handler.handle("POST", endpoint,
        Map.of("Content-Length", List.of(String.valueOf(10 * 1024 * 1024))), counting);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(touched.get()).isZero();
  }
}
