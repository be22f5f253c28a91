package dev.smsgateway.connect.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of Amazon Connect's contact-flow Lambda event the handlers read: {@code Details.ContactData} (contact
 * id, channel, instance ARN, {@code Name} and {@code Description} of a task, the two endpoints, user-defined
 * {@code Attributes}, {@code SegmentAttributes}) and {@code Details.Parameters} (the function block's parameters).
 * Missing or mistyped fields read as absent; nothing here throws.
 *
 * <p>The event is read as a JSON tree rather than through {@code aws-lambda-java-events}' {@code ConnectEvent},
 * which has no {@code Name}, {@code Description} or {@code SegmentAttributes}.
 *
 * <p>Immutable and thread-safe.
 */
record ContactFlowEvent(String contactId, String initialContactId, String channel, String instanceArn, String name,
    String description, String customerAddress, String systemAddress, Map<String, String> attributes,
    Map<String, String> parameters, String createdByUser) {

  /** The segment attribute Connect sets on a task to the ARN of the agent who created it. */
  static final String CREATED_BY_USER = "connect:CreatedByUser";

  static ContactFlowEvent of(JsonNode root) {
    JsonNode details = child(root, "Details");
    JsonNode data = child(details, "ContactData");
    JsonNode segment = child(child(data, "SegmentAttributes"), CREATED_BY_USER);
    return new ContactFlowEvent(text(data, "ContactId"), text(data, "InitialContactId"), text(data, "Channel"),
        text(data, "InstanceARN"), text(data, "Name"), text(data, "Description"),
        text(child(data, "CustomerEndpoint"), "Address"), text(child(data, "SystemEndpoint"), "Address"),
        strings(child(data, "Attributes")), strings(child(details, "Parameters")), text(segment, "ValueString"));
  }

  /** A parameter of the function block, else a user-defined contact attribute, of that name. */
  Optional<String> parameterOrAttribute(String key) {
    String value = parameters.get(key);
    if (value == null || value.isBlank()) {
      value = attributes.get(key);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** The Connect instance id: the last part of {@code InstanceARN}. */
  Optional<String> instanceId() {
    if (instanceArn == null) {
      return Optional.empty();
    }
    int slash = instanceArn.lastIndexOf("instance/");
    return slash < 0 ? Optional.empty() : Optional.of(instanceArn.substring(slash + "instance/".length()));
  }

  private static JsonNode child(JsonNode node, String name) {
    return node == null || !node.isObject() ? null : node.get(name);
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = child(node, name);
    if (value == null || !value.isValueNode() || value.isNull()) {
      return null;
    }
    String s = value.asText();
    return s.isBlank() ? null : s;
  }

  private static Map<String, String> strings(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isValueNode() && !e.getValue().isNull()) {
        out.put(e.getKey(), e.getValue().asText());
      }
    });
    return Map.copyOf(out);
  }

  @Override
  public String toString() {
    // Name and the endpoints are phone numbers, Description is the message: none of them is printed.
    return "ContactFlowEvent{contactId=" + contactId + ", channel=" + channel + "}";
  }
}
