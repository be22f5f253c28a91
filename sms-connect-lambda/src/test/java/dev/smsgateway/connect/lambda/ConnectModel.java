package dev.smsgateway.connect.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Amazon Connect API model (botocore's service-2.json, reduced to the operations this project calls), read from
 * the project's shared peer data, and a checker that says what in a request breaks it: unknown members, missing
 * required members, strings outside their length, pattern or enum, numbers outside their range, members the model
 * puts in the URI sent in the body.
 */
final class ConnectModel {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile ConnectModel instance;

  private final JsonNode operations;
  private final JsonNode shapes;

  private ConnectModel(JsonNode model) {
    this.operations = model.get("operations");
    this.shapes = model.get("shapes");
  }

  static ConnectModel load() {
    if (instance == null) {
      // Tests run in the module directory; the peer data sits beside the repository (../shared/peer-data).
      for (String candidate : List.of("../../shared/peer-data", "../shared/peer-data")) {
        Path file = Path.of(candidate, "aws", "models", "connect.chat.json");
        if (Files.isRegularFile(file)) {
          try {
            instance = new ConnectModel(JSON.readTree(file.toFile()));
            return instance;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      throw new IllegalStateException("the Connect model (shared/peer-data/aws/models/connect.chat.json) is not"
          + " beside the repository");
    }
    return instance;
  }

  /** The operation's HTTP method and request URI template, e.g. {@code GET /users/{InstanceId}/{UserId}}. */
  String http(String operation) {
    JsonNode http = operations.get(operation).get("http");
    return http.get("method").asText() + " " + http.get("requestUri").asText();
  }

  /** Problems of a request body (null for none) plus URI members, against the operation's input shape. */
  List<String> check(String operation, JsonNode body, Map<String, String> uriMembers) {
    List<String> problems = new ArrayList<>();
    String input = operations.get(operation).get("input").get("shape").asText();
    JsonNode shape = shapes.get(input);
    JsonNode members = shape.get("members");
    for (JsonNode required : shape.path("required")) {
      String name = required.asText();
      boolean inUri = members.get(name).has("location");
      boolean present = inUri ? uriMembers.containsKey(name) : body != null && body.has(name);
      if (!present) {
        problems.add(input + "." + name + " is required");
      }
    }
    uriMembers.forEach((name, value) -> {
      JsonNode member = members.get(name);
      if (member == null || !"uri".equals(member.path("location").asText())) {
        problems.add(name + " is not a URI member of " + input);
      } else {
        checkValue(JSON.valueToTree(value), member.get("shape").asText(), input + "." + name, problems);
      }
    });
    if (body != null) {
      Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode member = members.get(f.getKey());
        if (member == null) {
          problems.add(input + " has no member " + f.getKey());
        } else if (member.has("location")) {
          problems.add(input + "." + f.getKey() + " belongs in the " + member.get("location").asText() + ", not the body");
        } else {
          checkValue(f.getValue(), member.get("shape").asText(), input + "." + f.getKey(), problems);
        }
      }
    }
    return problems;
  }

  private void checkValue(JsonNode value, String shapeName, String path, List<String> problems) {
    JsonNode shape = shapes.get(shapeName);
    String type = shape.get("type").asText();
    switch (type) {
      case "structure" -> {
        if (!value.isObject()) {
          problems.add(path + " must be an object");
          return;
        }
        for (JsonNode required : shape.path("required")) {
          if (!value.has(required.asText())) {
            problems.add(path + "." + required.asText() + " is required");
          }
        }
        value.fields().forEachRemaining(f -> {
          JsonNode member = shape.get("members").get(f.getKey());
          if (member == null) {
            problems.add(path + " has no member " + f.getKey());
          } else {
            checkValue(f.getValue(), member.get("shape").asText(), path + "." + f.getKey(), problems);
          }
        });
      }
      case "list" -> {
        if (!value.isArray()) {
          problems.add(path + " must be a list");
          return;
        }
        int i = 0;
        for (JsonNode item : value) {
          checkValue(item, shape.get("member").get("shape").asText(), path + "[" + i++ + "]", problems);
        }
        range(value.size(), shape, path + " size", problems);
      }
      case "map" -> {
        if (!value.isObject()) {
          problems.add(path + " must be a map");
          return;
        }
        value.fields().forEachRemaining(f -> {
          checkValue(JSON.valueToTree(f.getKey()), shape.get("key").get("shape").asText(), path + " key", problems);
          checkValue(f.getValue(), shape.get("value").get("shape").asText(), path + "." + f.getKey(), problems);
        });
      }
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(path + " must be a string");
          return;
        }
        String s = value.asText();
        range(s.length(), shape, path + " length", problems);
        if (shape.has("enum")) {
          boolean known = false;
          for (JsonNode e : shape.get("enum")) {
            known |= e.asText().equals(s);
          }
          if (!known) {
            problems.add(path + " is not one of " + shape.get("enum"));
          }
        }
        if (shape.has("pattern") && !Pattern.compile(shape.get("pattern").asText()).matcher(s).find()) {
          problems.add(path + " does not match " + shape.get("pattern").asText());
        }
      }
      case "integer", "long" -> {
        if (!value.isIntegralNumber()) {
          problems.add(path + " must be an integer");
          return;
        }
        range(value.asLong(), shape, path, problems);
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(path + " must be a boolean");
        }
      }
      default -> { }
    }
  }

  private static void range(long n, JsonNode shape, String path, List<String> problems) {
    if (shape.has("min") && n < shape.get("min").asLong()) {
      problems.add(path + " below the minimum " + shape.get("min").asLong());
    }
    if (shape.has("max") && n > shape.get("max").asLong()) {
      problems.add(path + " above the maximum " + shape.get("max").asLong());
    }
  }
}
