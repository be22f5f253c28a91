package dev.smsgateway.route;

import java.util.Objects;

/**
 * Where a conversation is handled: one agent, a skill queue, or an Amazon Connect contact flow.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface RouteTarget {

  /** A stable text form for stores: {@code agent:alice}, {@code queue:sales}, {@code flow:<id>}. */
  String key();

  /** Reads a {@link #key()} back. */
  static RouteTarget fromKey(String key) {
    Objects.requireNonNull(key, "key == null");
    int colon = key.indexOf(':');
    String kind = colon < 0 ? "" : key.substring(0, colon);
    String id = key.substring(colon + 1);
    return switch (kind) {
      case "agent" -> new Agent(id);
      case "queue" -> new Queue(id);
      case "flow" -> new ContactFlow(id);
      default -> throw new IllegalArgumentException("not a route target key: '" + key + "'");
    };
  }

  /** One agent, by the host application's agent id. */
  record Agent(String agentId) implements RouteTarget {
    /** Checks the id. */
    public Agent {
      requireId(agentId, "agentId");
    }

    @Override
    public String key() {
      return "agent:" + agentId;
    }
  }

  /** A skill queue, by its code. */
  record Queue(String queueCode) implements RouteTarget {
    /** Checks the code. */
    public Queue {
      requireId(queueCode, "queueCode");
    }

    @Override
    public String key() {
      return "queue:" + queueCode;
    }
  }

  /** An Amazon Connect contact flow, by its id. */
  record ContactFlow(String contactFlowId) implements RouteTarget {
    /** Checks the id. */
    public ContactFlow {
      requireId(contactFlowId, "contactFlowId");
    }

    @Override
    public String key() {
      return "flow:" + contactFlowId;
    }
  }

  private static void requireId(String id, String field) {
    if (id == null || id.isBlank()) {
      throw new dev.smsgateway.SmsValidationException(field, id == null ? "is required" : "is blank");
    }
  }
}
