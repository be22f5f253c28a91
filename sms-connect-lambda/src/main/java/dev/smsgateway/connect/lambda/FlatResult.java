package dev.smsgateway.connect.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Reads events and writes results. A result is a flat JSON object whose values are all strings: an
 * "Invoke AWS Lambda function" block with the {@code STRING_MAP} response validation accepts nothing else, and a flow
 * reads each key as {@code $.External.<key>}.
 *
 * <p>Thread-safe.
 */
final class FlatResult {

  // Connect's events are a few KiB; the caps keep a hostile or broken event from costing the container.
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(256 * 1024).build())
      .build());

  private FlatResult() {}

  /** The event's JSON tree, or null when it is not JSON. */
  static JsonNode read(InputStream in) {
    try {
      return JSON.readTree(in);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static void write(Map<String, String> result, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> e : result.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue() == null ? "" : e.getValue());
      }
      g.writeEndObject();
    }
  }
}
