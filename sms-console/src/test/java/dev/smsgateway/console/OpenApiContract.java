package dev.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's OpenAPI file as a test oracle: every response a test sees must be documented (path, method, status,
 * content type) and its JSON body must match the documented schema (JSON Schema 2020-12, which OpenAPI 3.1 uses).
 * Records which operations were seen, so a test can require that all were.
 */
final class OpenApiContract {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final JsonNode doc;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  final Set<String> seen = ConcurrentHashMap.newKeySet();

  OpenApiContract() {
    try (InputStream in = OpenApiContract.class.getResourceAsStream("/dev/smsgateway/console/openapi.yaml")) {
      doc = YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    assertThat(doc.path("openapi").asText()).startsWith("3.1");
  }

  /** Checks one response; returns nothing, fails the test on any mismatch. */
  void check(String method, String path, int status, String contentType, String body) {
    String template = template(path);
    JsonNode op = doc.path("paths").path(template).path(method.toLowerCase());
    if (op.isMissingNode()) {
      fail("undocumented operation %s %s", method, template);
    }
    JsonNode response = op.path("responses").path(Integer.toString(status));
    if (response.isMissingNode()) {
      fail("%s %s answered %d, which the OpenAPI file does not document: %s", method, template, status, body);
    }
    response = resolve(response);
    seen.add(method + " " + template + " " + status);
    JsonNode content = response.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      assertThat(body).as("%s %s %d has no documented body", method, template, status).isEmpty();
      return;
    }
    String type = contentType == null ? "" : contentType.split(";")[0].strip();
    JsonNode media = content.path(type);
    if (media.isMissingNode()) {
      fail("%s %s %d answered Content-Type %s; documented: %s", method, template, status, type,
          iterable(content.fieldNames()));
    }
    if (type.endsWith("json")) {
      validate(media.path("schema"), body, method + " " + template + " " + status);
    }
  }

  /** Checks one event's data against the event stream's documented schema. */
  void checkEvent(String data) {
    JsonNode media = doc.path("paths").path("/api/events").path("get").path("responses").path("200")
        .path("content").path("text/event-stream");
    validate(media.path("x-event-schema"), data, "event");
  }

  private void validate(JsonNode schemaRef, String body, String what) {
    String ref = schemaRef.path("$ref").asText(null);
    assertThat(ref).as("%s: the contract uses $ref schemas", what).isNotNull();
    Schema schema = schemas.computeIfAbsent(ref, r -> {
      // The whole document is the schema resource, so "#/components/..." references resolve; its own root is a
      // reference to the response's schema (2020-12 allows $ref beside other keywords, which it ignores).
      ObjectNode root = doc.deepCopy();
      root.put("$ref", r);
      return registry.getSchema(root);
    });
    JsonNode instance;
    try {
      instance = new ObjectMapper().readTree(body);
    } catch (IOException e) {
      throw new AssertionError(what + ": not JSON: " + body, e);
    }
    List<Error> errors = schema.validate(instance);
    assertThat(errors).as("%s: %s does not match %s", what, body, ref).isEmpty();
  }

  private JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asText(null);
    if (ref == null) {
      return node;
    }
    return doc.at(ref.substring(1));
  }

  String template(String path) {
    Iterator<String> it = doc.path("paths").fieldNames();
    while (it.hasNext()) {
      String t = it.next();
      String regex = "\\Q" + t.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
      if (Pattern.matches(regex, path)) {
        return t;
      }
    }
    fail("no documented path matches %s", path);
    return null;
  }

  /** Every documented method and path, as "METHOD /path". */
  Set<String> operations() {
    Set<String> out = new TreeSet<>();
    doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
      if (Set.of("get", "put", "post", "delete", "patch").contains(m)) {
        out.add(m.toUpperCase() + " " + p.getKey());
      }
    }));
    return out;
  }

  Set<String> seenOperations() {
    Set<String> out = new TreeSet<>();
    for (String s : seen) {
      out.add(s.substring(0, s.lastIndexOf(' ')));
    }
    return out;
  }

  private static <T> List<T> iterable(Iterator<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
