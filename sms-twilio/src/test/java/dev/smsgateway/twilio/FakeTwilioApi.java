package dev.smsgateway.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.client5.http.HttpRoute;

/**
 * A loopback HTTP server standing in for api.twilio.com: it receives twilio-java's real requests (redirected with an
 * Apache route planner), records them, and answers what the test scripts.
 */
final class FakeTwilioApi implements AutoCloseable {

  record Recorded(int seq, String method, String path, String host, String authorization, String contentType,
      List<Map.Entry<String, String>> form) {

    String param(String name) {
      return form.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    List<String> params(String name) {
      return form.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
    }
  }

  record Reply(int status, String body, Map<String, String> headers) {
    static Reply json(int status, String body) {
      return new Reply(status, body, Map.of("Content-Type", "application/json"));
    }
  }

  static final String ACCOUNT = "AC" + "0123456789abcdef0123456789abcdef";
  static final String TOKEN = "test-auth-token-5c1f0e";

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger seq = new AtomicInteger();
  private final AtomicInteger sids = new AtomicInteger();
  private volatile BiFunction<Recorded, Integer, Reply> responder = (r, n) -> created(r);
  /** When set, the num_segments every 201 reports; otherwise computed from the body as Twilio does. */
  volatile String segments;

  FakeTwilioApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** An Apache client sending every request for any host to this server, with the provider's own pool settings. */
  SingleAttemptHttpClient.ClosableNetworkHttpClient client(int readTimeoutMillis) {
    HttpHost target = new HttpHost("http", "127.0.0.1", port());
    return new SingleAttemptHttpClient.ClosableNetworkHttpClient(
        SingleAttemptHttpClient.apacheBuilder(2000, readTimeoutMillis, 8)
            .setRoutePlanner((host, context) -> new HttpRoute(target)));
  }

  void respond(BiFunction<Recorded, Integer, Reply> responder) {
    this.responder = responder;
  }

  List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  /** A 201 as Twilio answers a create, echoing To and Body. */
  Reply created(Recorded r) {
    String sid = String.format("SM%032x", sids.incrementAndGet());
    String body = "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + r.param("To")
        + "\",\"from\":" + (r.param("From") == null ? "null" : "\"" + r.param("From") + "\"")
        + ",\"messaging_service_sid\":" + (r.param("MessagingServiceSid") == null ? "null" : "\"" + r.param("MessagingServiceSid") + "\"")
        + ",\"status\":\"queued\",\"num_segments\":\"" + (segments != null ? segments
            : String.valueOf(dev.smsgateway.text.SmsEncoding.plan(r.param("Body") == null ? "" : r.param("Body")).partCount()))
        + "\",\"num_media\":\"0\",\"direction\":\"outbound-api\","
        + "\"price\":\"-0.01580\",\"price_unit\":\"USD\",\"api_version\":\"2010-04-01\","
        + "\"date_created\":\"Mon, 23 Nov 2026 10:00:00 +0000\",\"error_code\":null,\"error_message\":null,"
        + "\"uri\":\"/2010-04-01/Accounts/" + ACCOUNT + "/Messages/" + sid + ".json\"}";
    return Reply.json(201, body);
  }

  static Reply error(int status, int code, String message) {
    return Reply.json(status, "{\"code\":" + code + ",\"message\":" + (message == null ? "null" : "\"" + message + "\"")
        + ",\"more_info\":\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}");
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      String ct = ex.getRequestHeaders().getFirst("Content-Type");
      List<Map.Entry<String, String>> form = ct != null && ct.startsWith("application/x-www-form-urlencoded")
          ? FormData.parse(new String(raw, StandardCharsets.UTF_8), 10_000) : List.of();
      Recorded r = new Recorded(seq.incrementAndGet(), ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
          ex.getRequestHeaders().getFirst("Host"), ex.getRequestHeaders().getFirst("Authorization"), ct, form);
      requests.add(r);
      Reply reply = responder.apply(r, r.seq());
      if (reply == null) { // drop the connection without answering
        return;
      }
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(0);
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }
}
