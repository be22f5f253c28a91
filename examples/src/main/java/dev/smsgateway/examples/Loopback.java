package dev.smsgateway.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Small HTTP pieces the loopback modes share: a JDK {@link HttpServer} on 127.0.0.1 with an ephemeral port (the
 * examples' webhook servers and the stand-ins for the providers' APIs), and a client that plays the provider calling
 * a webhook.
 *
 * <p>Thread-safe.
 */
final class Loopback {

  private Loopback() {}

  /** A started server on 127.0.0.1 with its own small pool; close it with {@link Server#close()}. */
  static final class Server implements AutoCloseable {
    final HttpServer http;
    private final ExecutorService pool;

    Server(String name) throws IOException {
      this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), name);
    }

    Server(InetSocketAddress address, String name) throws IOException {
      http = HttpServer.create(address, 0);
      pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      http.setExecutor(pool);
    }

    Server handle(String path, HttpHandler handler) {
      http.createContext(path, handler);
      return this;
    }

    Server start() {
      http.start();
      return this;
    }

    int port() {
      return http.getAddress().getPort();
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
      http.stop(0);
      pool.shutdownNow();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Writes a response and closes the exchange. */
  static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    }
    exchange.close();
  }

  /** Parses an {@code application/x-www-form-urlencoded} body (last value wins; enough for the stand-ins). */
  static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(name, value);
    }
    return form;
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** POSTs {@code body} to {@code url} with the given headers; returns the status and the body. */
  static HttpResponse<String> post(URI url, String contentType, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Transcript.STEP_TIMEOUT)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
