package dev.smsgateway.connect.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.test.connect.AmazonConnectStandIn;
import dev.smsgateway.test.connect.AwsModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback stand-in for the two Amazon Connect operations the lookup calls, {@code SearchUsers} and
 * {@code DescribeUser}, holding a directory of users per instance. Every request is checked against the Connect API
 * model ({@link AwsModel}): the method and path of the operation, a SigV4 {@code Authorization} header, and the
 * body's members; a request that breaks the model is answered 400 {@code InvalidParameterException} and recorded in
 * {@link #violations()}. As Connect documents: {@code DescribeUser} of an unknown instance or user answers 404
 * {@code ResourceNotFoundException}; {@code SearchUsers} with a {@code StringCondition} on {@code Username} and
 * {@code EXACT} returns the users whose user name is equal, other criteria are refused here (not needed).
 * {@link #failWith(int)} makes every call fail with that status ({@code InternalServiceException} for 5xx).
 */
final class ConnectStandIn implements AutoCloseable {

  record User(String id, String arn, String username) {}

  record Call(String operation, String path, String body) {}

  /** The operation's HTTP method and request URI template, e.g. {@code GET /users/{InstanceId}/{UserId}}. */
  private String http(String operation) {
    return model.method(operation) + " " + model.requestUri(operation);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  // AWS's Connect model, checked member by member (sms-test's AwsModel, which the Amazon Connect stand-in uses too)
  private final AwsModel model =
      AwsModel.load(AmazonConnectStandIn.sharedModels().resolve("connect.chat.json"));
  private final HttpServer server;
  private final Map<String, List<User>> users = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile int failStatus;

  ConnectStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds a user to an instance; returns it. */
  User addUser(String instanceId, String userId, String username) {
    User u = new User(userId, "arn:aws:connect:us-east-1:123456789012:instance/" + instanceId + "/agent/" + userId,
        username);
    users.computeIfAbsent(instanceId, k -> new CopyOnWriteArrayList<>()).add(u);
    return u;
  }

  void failWith(int status) {
    this.failStatus = status;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String[] parts = path.split("/");
    String operation;
    Map<String, String> uri;
    if (http("SearchUsers").equals(method + " " + path)) {
      operation = "SearchUsers";
      uri = Map.of();
    } else if (method.equals("GET") && parts.length == 4 && parts[1].equals("users")
        && http("DescribeUser").equals("GET /users/{InstanceId}/{UserId}")) {
      operation = "DescribeUser";
      uri = Map.of("InstanceId", decode(parts[2]), "UserId", decode(parts[3]));
    } else {
      violations.add("no operation of the model is " + method + " " + path);
      answer(exchange, 404, "UnknownOperationException", JSON.createObjectNode().put("message", "unknown"));
      return;
    }
    calls.add(new Call(operation, path, body));
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
      violations.add(operation + " without a SigV4 Authorization header");
      answer(exchange, 403, "AccessDeniedException", JSON.createObjectNode().put("Message", "not signed"));
      return;
    }
    JsonNode json = null;
    if (!body.isEmpty()) {
      json = JSON.readTree(body);
    }
    List<String> problems = new ArrayList<>(model.check(operation, json, uri, Map.of()));
    if (!problems.isEmpty()) {
      violations.addAll(problems);
      answer(exchange, 400, "InvalidParameterException", JSON.createObjectNode().put("Message", problems.get(0)));
      return;
    }
    if (failStatus != 0) {
      answer(exchange, failStatus, failStatus >= 500 ? "InternalServiceException" : "ThrottlingException",
          JSON.createObjectNode().put("Message", "failing on purpose"));
      return;
    }
    if (operation.equals("DescribeUser")) {
      describe(exchange, uri.get("InstanceId"), uri.get("UserId"));
    } else {
      search(exchange, json);
    }
  }

  private void describe(HttpExchange exchange, String instanceId, String userId) throws IOException {
    for (User u : users.getOrDefault(instanceId, List.of())) {
      if (u.id().equals(userId)) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("User").put("Id", u.id()).put("Arn", u.arn()).put("Username", u.username());
        answer(exchange, 200, null, out);
        return;
      }
    }
    answer(exchange, 404, "ResourceNotFoundException", JSON.createObjectNode().put("Message",
        "User not found for UserId: " + userId));
  }

  private void search(HttpExchange exchange, JsonNode request) throws IOException {
    JsonNode condition = request.path("SearchCriteria").path("StringCondition");
    if (!"Username".equals(condition.path("FieldName").asText())
        || !"EXACT".equals(condition.path("ComparisonType").asText())) {
      violations.add("this stand-in answers only Username EXACT searches: " + request);
      answer(exchange, 400, "InvalidParameterException", JSON.createObjectNode().put("Message", "unsupported"));
      return;
    }
    String instanceId = request.get("InstanceId").asText();
    if (!users.containsKey(instanceId)) {
      answer(exchange, 404, "ResourceNotFoundException", JSON.createObjectNode().put("Message",
          "Instance not found"));
      return;
    }
    String wanted = condition.path("Value").asText();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("Users");
    for (User u : users.get(instanceId)) {
      if (u.username().equals(wanted)) {
        list.addObject().put("Id", u.id()).put("Arn", u.arn()).put("Username", u.username());
      }
    }
    out.put("ApproximateTotalCount", list.size());
    answer(exchange, 200, null, out);
  }

  private static void answer(HttpExchange exchange, int status, String errorType, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("x-amzn-RequestId", "req-standin");
    if (errorType != null) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
