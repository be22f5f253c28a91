package dev.smsgateway.twilio;

import static dev.smsgateway.twilio.WebhookFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.ProviderListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TwilioHttpServerHandler on the JDK HttpServer (loopback)")
class TwilioWebhookHttpServerTest {

  HttpServer server;
  ExecutorService serverPool;
  HttpClient client;
  final List<InboundSms> inbound = new CopyOnWriteArrayList<>();
  final List<DeliveryReport> reports = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    TwilioWebhookHandler handler = TwilioWebhookHandler.builder().authToken(TOKEN).listener(new ProviderListener() {
      @Override
      public void onInbound(InboundSms sms) {
        inbound.add(sms);
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {
        reports.add(report);
      }
    }).build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", new TwilioHttpServerHandler(handler, URI.create(WebhookFixtures.BASE)));
    serverPool = Executors.newFixedThreadPool(4);
    server.setExecutor(serverPool);
    server.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    server.stop(0);
    serverPool.shutdownNow();
    assertThat(serverPool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  String local(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  HttpResponse<String> post(String path, String contentType, String signature, HttpRequest.BodyPublisher body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(local(path))).timeout(Duration.ofSeconds(10))
        .POST(body);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (signature != null) {
      b.header("X-Twilio-Signature", signature);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> genuineInbound(String sid) throws IOException, InterruptedException {
    List<Map.Entry<String, String>> p = WebhookFixtures.inbound(sid, "hello agent");
    return post("/twilio/inbound/sales", "application/x-www-form-urlencoded",
        WebhookFixtures.sign(TOKEN, WebhookFixtures.INBOUND_URL, p),
        HttpRequest.BodyPublishers.ofString(WebhookFixtures.encode(p)));
  }

  @Test
  @DisplayName("a genuine inbound message is signed over the public URL, not the local one, and answered with TwiML")
  void genuine() throws Exception {
    HttpResponse<String> r = genuineInbound(WebhookFixtures.sid("SM", 1));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/xml"));
    assertThat(r.body()).endsWith("<Response/>");
    assertThat(inbound).hasSize(1);
    assertThat(inbound.get(0).attributes()).containsEntry("mapping", "sales");
  }

  @Test
  @DisplayName("each request is checked against its own public URL, path and query, also when they alternate; the"
      + " TwiML answer is the same bytes every time")
  void urlPerRequest() throws Exception {
    String[] paths = {"/twilio/inbound/sales", "/twilio/inbound/support", "/twilio/status?messageId=m-1",
        "/twilio/status?messageId=m-2", "/twilio/inbound/sales", "/twilio/status?messageId=m-1"};
    for (int i = 0; i < paths.length; i++) {
      String sid = WebhookFixtures.sid("SM", 100 + i);
      List<Map.Entry<String, String>> p = paths[i].contains("status")
          ? WebhookFixtures.status(sid, "sent", null) : WebhookFixtures.inbound(sid, "hello");
      String own = WebhookFixtures.BASE + paths[i];
      String previous = WebhookFixtures.BASE + paths[(i + paths.length - 1) % paths.length];
      HttpResponse<String> wrong = post(paths[i], "application/x-www-form-urlencoded",
          WebhookFixtures.sign(TOKEN, previous, p), HttpRequest.BodyPublishers.ofString(WebhookFixtures.encode(p)));
      assertThat(wrong.statusCode()).as("signed for " + previous).isEqualTo(403);
      HttpResponse<String> right = post(paths[i], "application/x-www-form-urlencoded",
          WebhookFixtures.sign(TOKEN, own, p), HttpRequest.BodyPublishers.ofString(WebhookFixtures.encode(p)));
      assertThat(right.statusCode()).as(own).isEqualTo(200);
      assertThat(right.body()).isEqualTo(WebhookResponse.EMPTY_TWIML);
      assertThat(right.headers().firstValue("Content-Type")).contains("text/xml; charset=utf-8");
    }
    assertThat(inbound).extracting(m -> m.attributes().get("mapping")).containsExactly("sales", "support", "sales");
    assertThat(reports).extracting(r -> r.messageId().orElse(null)).containsExactly("m-1", "m-2", "m-1");
  }

  @Test
  @DisplayName("W1: 10,000 malformed requests (seed 7): no 5xx, nothing routed, a valid request still served after")
  void w1Malformed() throws Exception {
    Random random = new Random(7);
    Map<Integer, AtomicInteger> statuses = new TreeMap<>();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    int total = 10_000;
    AtomicInteger clientAborts = new AtomicInteger();
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        long seed = random.nextLong();
        int kind = i % 10;
        futures.add(senders.submit(() -> malformed(kind, new Random(seed))));
      }
      for (Future<Integer> f : futures) {
        int status = f.get(60, TimeUnit.SECONDS);
        if (status < 0) {
          clientAborts.incrementAndGet();
        } else {
          statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        }
      }
    } finally {
      senders.shutdownNow();
    }
    // A declared 10 MiB body: 413 arrives while the client has sent only the headers and 100 bytes, so the server
    // neither waited for nor buffered the body.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /twilio/inbound/sales HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          + "X-Twilio-Signature: x\r\nContent-Length: " + (10 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[100]);
      out.flush();
      String statusLine = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(statusLine).isEqualTo("HTTP/1.1 413");
    }
    // 10 MiB sent in full, with Content-Length and chunked: 413, or the connection closed under the client's feet.
    for (boolean chunked : new boolean[] {false, true}) {
      int status;
      try {
        status = post("/twilio/inbound/sales", "application/x-www-form-urlencoded", "x", chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[10 * 1024 * 1024]))
            : HttpRequest.BodyPublishers.ofByteArray(new byte[10 * 1024 * 1024])).statusCode();
      } catch (IOException e) {
        status = -1;
      }
      assertThat(status).isIn(413, -1);
    }
    // Raw garbage on the socket.
    for (int i = 0; i < 20; i++) {
      rawGarbage(random);
    }

    System.out.println("W1 statuses " + statuses + ", client-side aborts " + clientAborts);
    assertThat(statuses.keySet()).allSatisfy(s -> assertThat(s).isBetween(400, 499));
    assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum() + clientAborts.get()).isEqualTo(total);
    assertThat(clientAborts.get()).isZero();
    assertThat(inbound).isEmpty();
    assertThat(reports).isEmpty();
    assertThat(genuineInbound(WebhookFixtures.sid("SM", 99)).statusCode()).isEqualTo(200);
    assertThat(inbound).hasSize(1);
  }

  private int malformed(int kind, Random random) throws Exception {
    String form = "application/x-www-form-urlencoded";
    String path = random.nextBoolean() ? "/twilio/inbound/sales" : "/twilio/status";
    byte[] junk = new byte[random.nextInt(2048)];
    random.nextBytes(junk);
    try {
      return switch (kind) {
        case 0 -> post(path, form, randomSignature(random), HttpRequest.BodyPublishers.ofByteArray(junk)).statusCode();
        case 1 -> post(path, pick(random, "text/plain", "application/xml", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencodedX", "*/*", "form"), randomSignature(random),
            HttpRequest.BodyPublishers.ofByteArray(junk)).statusCode();
        case 2 -> post(path, null, null, HttpRequest.BodyPublishers.ofByteArray(junk)).statusCode();
        case 3 -> post(path, form, randomSignature(random),
            HttpRequest.BodyPublishers.ofString("Body=%" + (char) ('g' + random.nextInt(10)) + "1&From=%E2%82")).statusCode();
        case 4 -> {
          String deep = "{\"a\":".repeat(1000 + random.nextInt(3000)) + "1" + "}".repeat(4000);
          yield post("/twilio/status?bodySHA256=00", "application/json", randomSignature(random),
              HttpRequest.BodyPublishers.ofString(deep)).statusCode();
        }
        case 5 -> {
          StringBuilder many = new StringBuilder();
          for (int i = 0; i < 300; i++) {
            many.append("P").append(i).append("=v&");
          }
          yield post(path, form, randomSignature(random), HttpRequest.BodyPublishers.ofString(many.toString())).statusCode();
        }
        case 6 -> client.send(HttpRequest.newBuilder(URI.create(local(path)))
            .method(pick(random, "GET", "PUT", "DELETE", "PATCH", "OPTIONS"), HttpRequest.BodyPublishers.ofByteArray(junk))
            .header("Content-Type", form).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        case 7 -> post(path, form, randomSignature(random),
            HttpRequest.BodyPublishers.ofByteArray(new byte[TwilioWebhookHandler.MAX_BODY_BYTES + 1 + random.nextInt(8192)]))
            .statusCode();
        case 8 -> {
          // Correctly signed, but not a Twilio payload.
          List<Map.Entry<String, String>> p = List.of(Map.entry("MessageSid", "SM" + random.nextInt()),
              Map.entry("From", "x" + random.nextInt()));
          String url = WebhookFixtures.BASE + path;
          yield post(path, form, WebhookFixtures.sign(TOKEN, url, p),
              HttpRequest.BodyPublishers.ofString(WebhookFixtures.encode(p))).statusCode();
        }
        default -> post(path, "application/json", randomSignature(random),
            HttpRequest.BodyPublishers.ofByteArray(junk)).statusCode();
      };
    } catch (IOException e) {
      return -1;
    }
  }

  private void rawGarbage(Random random) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
      s.setSoTimeout(5000);
      byte[] junk = new byte[1 + random.nextInt(4096)];
      random.nextBytes(junk);
      OutputStream out = s.getOutputStream();
      out.write(junk);
      out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      if (head.startsWith("HTTP/1.1 5")) {
        throw new AssertionError("5xx for raw garbage: " + head);
      }
    } catch (java.net.SocketException | java.net.SocketTimeoutException closed) {
      // the JDK server closes connections it cannot parse: fine
    }
  }

  private static String randomSignature(Random random) {
    byte[] b = new byte[20];
    random.nextBytes(b);
    return java.util.Base64.getEncoder().encodeToString(b);
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... options) {
    return options[random.nextInt(options.length)];
  }

  @Test
  @DisplayName("W5: the same MessageSid posted 5 times concurrently reaches the listener exactly once (20 rounds)")
  void w5ConcurrentDuplicates() throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(5);
    Map<String, AtomicInteger> perSid = new ConcurrentHashMap<>();
    try {
      for (int round = 0; round < 20; round++) {
        String sid = WebhookFixtures.sid("SM", 1000 + round);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          futures.add(senders.submit(() -> {
            go.await();
            return genuineInbound(sid).statusCode();
          }));
        }
        go.countDown();
        for (Future<Integer> f : futures) {
          assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
      }
    } finally {
      senders.shutdownNow();
    }
    inbound.forEach(sms -> perSid.computeIfAbsent(sms.providerMessageId(), k -> new AtomicInteger()).incrementAndGet());
    assertThat(perSid).hasSize(20);
    assertThat(perSid.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }
}
