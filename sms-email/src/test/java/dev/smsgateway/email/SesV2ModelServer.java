package dev.smsgateway.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback stand-in for SES API v2 {@code SendEmail} that refuses what breaks AWS's published model
 * (sesv2.SendEmail.json from the shared peer data): the operation's method and path, a SigV4 Authorization header,
 * a JSON body whose members all exist in the input shape, required members present, strings within min/max and
 * enums, blobs valid base64, lists of the member shape. An accepted request is answered with a MessageId, as SES
 * does; a refused one with 400 and SES's error shape, naming the broken rule.
 */
final class SesV2ModelServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  record Received(String path, Map<String, List<String>> headers, JsonNode body, List<String> violations) {}

  private final JsonNode model;
  private final HttpServer server;
  final List<Received> requests = new CopyOnWriteArrayList<>();
  volatile int failWithStatus;

  SesV2ModelServer() throws IOException {
    this.model = JSON.readTree(Files.readAllBytes(modelFile()));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  /** The model, read from the shared peer data next to the repository (as CI lays it out). */
  static Path modelFile() {
    for (String candidate : new String[] {"../../shared/peer-data/aws/models/sesv2.SendEmail.json",
        "../shared/peer-data/aws/models/sesv2.SendEmail.json"}) {
      Path p = Path.of(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("../shared/peer-data/aws/models/sesv2.SendEmail.json not found from "
        + Path.of("").toAbsolutePath());
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      List<String> violations = new ArrayList<>();
      JsonNode op = model.path("operations").path("SendEmail");
      if (!ex.getRequestMethod().equals(op.path("http").path("method").asText())) {
        violations.add("method " + ex.getRequestMethod());
      }
      String path = ex.getRequestURI().getPath();
      if (!path.equals(op.path("http").path("requestUri").asText())) {
        violations.add("path " + path);
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ") || !auth.contains("/ses/aws4_request")) {
        violations.add("Authorization is not SigV4 for signing name ses");
      }
      JsonNode body = null;
      try {
        body = JSON.readTree(ex.getRequestBody().readAllBytes());
      } catch (IOException e) {
        violations.add("body is not JSON");
      }
      if (body != null) {
        validate(body, op.path("input").path("shape").asText(), "", violations);
      }
      requests.add(new Received(path, Map.copyOf(ex.getRequestHeaders()), body, List.copyOf(violations)));
      byte[] answer;
      int status;
      if (!violations.isEmpty()) {
        status = 400;
        answer = JSON.createObjectNode().put("message", String.join("; ", violations)).toString()
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("x-amzn-ErrorType", "BadRequestException");
      } else if (failWithStatus != 0) {
        status = failWithStatus;
        answer = JSON.createObjectNode().put("message", "Maximum sending rate exceeded.").toString()
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("x-amzn-ErrorType", status == 429 ? "TooManyRequestsException"
            : "MessageRejected");
      } else {
        status = 200;
        answer = JSON.createObjectNode().put("MessageId", "010001" + Long.toHexString(System.nanoTime())
            + "-abc-000000").toString().getBytes(StandardCharsets.UTF_8);
      }
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.getResponseHeaders().set("x-amzn-RequestId", "req-" + requests.size());
      ex.sendResponseHeaders(status, answer.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private void validate(JsonNode value, String shapeName, String where, List<String> violations) {
    JsonNode shape = model.path("shapes").path(shapeName);
    String type = shape.path("type").asText();
    switch (type) {
      case "structure" -> {
        if (!value.isObject()) {
          violations.add(where + " is not an object");
          return;
        }
        for (JsonNode required : shape.path("required")) {
          if (!value.has(required.asText())) {
            violations.add(where + "." + required.asText() + " is required");
          }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          JsonNode member = shape.path("members").path(e.getKey());
          if (member.isMissingNode()) {
            violations.add(where + "." + e.getKey() + " is not a member of " + shapeName);
          } else {
            validate(e.getValue(), member.path("shape").asText(), where + "." + e.getKey(), violations);
          }
        }
      }
      case "list" -> {
        if (!value.isArray()) {
          violations.add(where + " is not a list");
          return;
        }
        int i = 0;
        for (JsonNode item : value) {
          validate(item, shape.path("member").path("shape").asText(), where + "[" + i++ + "]", violations);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          violations.add(where + " is not a string");
          return;
        }
        int length = value.textValue().length();
        if (shape.has("min") && length < shape.path("min").asInt()) {
          violations.add(where + " is shorter than " + shape.path("min").asInt());
        }
        if (shape.has("max") && length > shape.path("max").asInt()) {
          violations.add(where + " is longer than " + shape.path("max").asInt());
        }
        if (shape.has("enum")) {
          boolean ok = false;
          for (JsonNode e : shape.path("enum")) {
            ok |= e.asText().equals(value.textValue());
          }
          if (!ok) {
            violations.add(where + " is not one of " + shape.path("enum"));
          }
        }
      }
      case "blob" -> {
        if (!value.isTextual()) {
          violations.add(where + " is not a base64 string");
          return;
        }
        try {
          Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
          violations.add(where + " is not valid base64");
        }
      }
      default -> violations.add(where + " has a shape of unknown type " + type);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
