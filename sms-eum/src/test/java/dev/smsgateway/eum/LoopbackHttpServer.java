package dev.smsgateway.eum;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A JDK HttpServer on 127.0.0.1 with an ephemeral port that records every request the real SDK sends and answers
 * from a scriptable function. Stands in for AWS (no AWS emulator runs here without Python or Docker).
 */
final class LoopbackHttpServer implements AutoCloseable {

  /** A request as it arrived on the wire. */
  record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** What to answer; {@code status < 0} means "close the connection without answering". */
  record Reply(int status, String contentType, String body, Map<String, String> headers) {
    static Reply json(int status, String body) {
      return new Reply(status, "application/x-amz-json-1.0", body, Map.of());
    }

    static Reply restJson(int status, String body) {
      return new Reply(status, "application/json", body, Map.of());
    }

    static Reply awsError(int status, String type, String body) {
      return new Reply(status, "application/x-amz-json-1.0", body, Map.of("x-amzn-ErrorType", type));
    }

    static Reply hang() {
      return new Reply(-2, null, null, Map.of());
    }

    static Reply reset() {
      return new Reply(-1, null, null, Map.of());
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Recorded, Reply> responder;

  LoopbackHttpServer(Function<Recorded, Reply> responder) throws IOException {
    this.responder = responder;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  void respond(Function<Recorded, Reply> responder) {
    this.responder = responder;
  }

  /** Forgets recorded requests. */
  void clear() {
    requests.clear();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Recorded> requests() {
    return List.copyOf(requests);
  }

  Recorded last() {
    return requests.get(requests.size() - 1);
  }

  private void serve(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Recorded r = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        Map.copyOf(exchange.getRequestHeaders()), body);
    requests.add(r);
    Reply reply = responder.apply(r);
    if (reply.status() == -1) {
      // The request was read in full, then the connection dies: the outcome is unknown to the client.
      exchange.close();
      return;
    }
    if (reply.status() == -2) {
      return; // never answer; the client's API call timeout fires
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.getResponseHeaders().set("x-amzn-RequestId", "test-request-id");
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
