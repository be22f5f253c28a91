package dev.smsgateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A test client for the console API that checks every answer against the OpenAPI file. */
final class ApiClient {

  static final ObjectMapper JSON = new ObjectMapper();

  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final URI base;
  private final OpenApiContract contract;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final Map<String, String> headers = new LinkedHashMap<>();
  /** False for requests the OpenAPI file cannot describe (a method a path does not have). */
  boolean checked = true;

  ApiClient(URI base, OpenApiContract contract) {
    this.base = base;
    this.contract = contract;
  }

  ApiClient bearer(String token) {
    headers.put("Authorization", "Bearer " + token);
    return this;
  }

  Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  Response post(String path, String json) {
    return send("POST", path, json, Map.of());
  }

  Response put(String path, String json) {
    return send("PUT", path, json, Map.of());
  }

  Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  Response send(String method, String path, String json, Map<String, String> extra) {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(20));
    headers.forEach(r::header);
    extra.forEach(r::header);
    if (json != null) {
      if (!extra.containsKey("Content-Type")) {
        r.header("Content-Type", "application/json");
      }
      r.method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      if (checked) {
        contract.check(method, path, resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(null),
          resp.body());
      }
      return new Response(resp.statusCode(), resp.headers(), resp.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Opens the event stream; each event's data is checked against the contract as it arrives. */
  Events events() {
    Events events = new Events();
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve("api/events"));
    headers.forEach(r::header);
    HttpResponse<Stream<String>> resp;
    try {
      resp = http.send(r.GET().build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    events.status = resp.statusCode();
    events.contentType = resp.headers().firstValue("Content-Type").orElse("");
    Thread t = new Thread(() -> {
      try (Stream<String> lines = resp.body()) {
        lines.forEach(line -> {
          if (line.startsWith("data: ")) {
            String data = line.substring(6);
            contract.checkEvent(data);
            events.queue.add(parse(data));
          }
        });
      } catch (RuntimeException e) {
        events.failure = e;
      } catch (AssertionError e) {
        events.failure = new IllegalStateException(e);
      }
    }, "sse-reader");
    t.setDaemon(true);
    t.start();
    events.reader = t;
    events.lines = resp;
    return events;
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class Events implements AutoCloseable {
    final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
    int status;
    String contentType;
    volatile RuntimeException failure;
    Thread reader;
    HttpResponse<Stream<String>> lines;

    /** The next event matching {@code p} within 10 s (earlier, non-matching events are dropped). */
    JsonNode await(Predicate<JsonNode> p) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < end) {
        if (failure != null) {
          throw failure;
        }
        JsonNode e = queue.poll(100, TimeUnit.MILLISECONDS);
        if (e != null && p.test(e)) {
          return e;
        }
      }
      throw new AssertionError("no matching event within 10 s");
    }

    static Predicate<JsonNode> type(String type) {
      return e -> e.path("type").asText().equals(type);
    }

    @Override
    public void close() {
      lines.body().close();
    }
  }
}
