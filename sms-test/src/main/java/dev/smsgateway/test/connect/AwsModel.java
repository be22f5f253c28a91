package dev.smsgateway.test.connect;

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
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An AWS service model (botocore's {@code service-2.json} format, possibly cut down to some operations) and a checker
 * that says what in a request breaks it: unknown members, missing required members, members sent in the wrong place
 * (URI, header, body), strings outside their length, pattern or enum, numbers outside their range, wrong JSON types,
 * list sizes; nested structures, lists and maps are checked member by member.
 *
 * <p>The model files are AWS's, not this library's: {@link #load(Path)} reads one from where the application keeps
 * it (botocore's data directory, for example {@code botocore/data/connect/2017-08-08/service-2.json}).
 *
 * <p>Immutable and thread-safe.
 */
public final class AwsModel {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Path, AwsModel> LOADED = new ConcurrentHashMap<>();
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private final JsonNode metadata;
  private final JsonNode operations;
  private final JsonNode shapes;

  private AwsModel(JsonNode model) {
    this.metadata = model.path("metadata");
    this.operations = Objects.requireNonNull(model.get("operations"), "model has no operations");
    this.shapes = Objects.requireNonNull(model.get("shapes"), "model has no shapes");
  }

  /**
   * Reads a model file (cached per path).
   *
   * @throws UncheckedIOException if it cannot be read
   */
  public static AwsModel load(Path file) {
    return LOADED.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
      try {
        return new AwsModel(JSON.readTree(Files.readAllBytes(f)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the AWS model " + f, e);
      }
    });
  }

  /**
   * This model plus the operations and shapes of {@code supplement} (same format) that it does not define; its own
   * win. For an operation a cut-down model lacks, described by hand from AWS's API reference (see
   * {@link AmazonConnectStandIn}): when AWS's model has the operation, AWS's model is what is checked.
   */
  AwsModel supplementedBy(JsonNode supplement) {
    com.fasterxml.jackson.databind.node.ObjectNode merged = JSON.createObjectNode();
    merged.set("metadata", metadata.deepCopy());
    com.fasterxml.jackson.databind.node.ObjectNode ops = operations.deepCopy();
    com.fasterxml.jackson.databind.node.ObjectNode shps = shapes.deepCopy();
    supplement.path("operations").fields().forEachRemaining(e -> {
      if (!ops.has(e.getKey())) {
        ops.set(e.getKey(), e.getValue());
      }
    });
    supplement.path("shapes").fields().forEachRemaining(e -> {
      if (!shps.has(e.getKey())) {
        shps.set(e.getKey(), e.getValue());
      }
    });
    merged.set("operations", ops);
    merged.set("shapes", shps);
    return new AwsModel(merged);
  }

  /** The service's signing name ({@code connect}, {@code execute-api}...). */
  public String signingName() {
    return metadata.path("signingName").asText(metadata.path("endpointPrefix").asText());
  }

  /** Whether the model has the operation. */
  public boolean has(String operation) {
    return operations.has(operation);
  }

  /** The operation's HTTP method. */
  public String method(String operation) {
    return operation(operation).get("http").get("method").asText();
  }

  /** The operation's request URI template, e.g. {@code /contact/chat} or {@code /users/{InstanceId}/{UserId}}. */
  public String requestUri(String operation) {
    return operation(operation).get("http").get("requestUri").asText();
  }

  private JsonNode operation(String operation) {
    JsonNode op = operations.get(operation);
    if (op == null) {
      throw new IllegalArgumentException("the model has no operation " + operation);
    }
    return op;
  }

  /**
   * The problems of a request against the operation's input shape; empty when it conforms.
   *
   * @param body the JSON body, or null when there is none
   * @param uriMembers members taken from the URI path, by member name
   * @param headers the request's headers, by lower-case name (only those the model names are looked at)
   */
  public List<String> check(String operation, JsonNode body, Map<String, String> uriMembers,
      Map<String, String> headers) {
    List<String> problems = new ArrayList<>();
    JsonNode op = operation(operation);
    if (!op.has("input")) {
      if (body != null && body.size() > 0) {
        problems.add(operation + " takes no input");
      }
      return problems;
    }
    String input = op.get("input").get("shape").asText();
    JsonNode shape = shapes.get(input);
    JsonNode members = shape.get("members");
    for (JsonNode required : shape.path("required")) {
      String name = required.asText();
      JsonNode member = members.get(name);
      String location = member.path("location").asText("");
      boolean present = switch (location) {
        case "uri" -> uriMembers.containsKey(name);
        case "header" -> headers.containsKey(member.get("locationName").asText().toLowerCase(java.util.Locale.ROOT));
        case "querystring" -> true; // not used by the operations this project calls
        default -> body != null && body.has(name);
      };
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
    Iterator<Map.Entry<String, JsonNode>> declared = members.fields();
    while (declared.hasNext()) {
      Map.Entry<String, JsonNode> m = declared.next();
      if ("header".equals(m.getValue().path("location").asText())) {
        String value = headers.get(m.getValue().get("locationName").asText().toLowerCase(java.util.Locale.ROOT));
        if (value != null) {
          checkValue(JSON.valueToTree(value), m.getValue().get("shape").asText(), input + "." + m.getKey(), problems);
        }
      }
    }
    if (body != null) {
      if (!body.isObject()) {
        problems.add(input + " must be a JSON object");
        return problems;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode member = members.get(f.getKey());
        if (member == null) {
          problems.add(input + " has no member " + f.getKey());
        } else if (member.has("location")) {
          problems.add(input + "." + f.getKey() + " belongs in the " + member.get("location").asText()
              + ", not the body");
        } else {
          checkValue(f.getValue(), member.get("shape").asText(), input + "." + f.getKey(), problems);
        }
      }
    }
    return problems;
  }

  private void checkValue(JsonNode value, String shapeName, String path, List<String> problems) {
    JsonNode shape = shapes.get(shapeName);
    if (shape == null) {
      problems.add(path + ": the model has no shape " + shapeName);
      return;
    }
    switch (shape.get("type").asText()) {
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
        range(value.size(), shape, path + " size", problems);
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
        if (shape.has("pattern")) {
          Pattern p = PATTERNS.computeIfAbsent(shape.get("pattern").asText(), Pattern::compile);
          if (!p.matcher(s).find()) {
            problems.add(path + " does not match " + p.pattern());
          }
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
      case "timestamp" -> {
        if (!value.isNumber() && !value.isTextual()) {
          problems.add(path + " must be a timestamp");
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
