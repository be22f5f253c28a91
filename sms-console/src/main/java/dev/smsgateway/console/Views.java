package dev.smsgateway.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.routing.AgentStatus;
import dev.smsgateway.routing.BusinessNumber;
import dev.smsgateway.routing.QueueStatus;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the API (the OpenAPI file's components/schemas), in one place. */
final class Views {

  static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Views() {}

  static ObjectNode conversation(Conversation c, RoutingConfiguration configuration) {
    ObjectNode o = F.objectNode();
    o.put("id", c.id());
    o.put("customer", c.customer().e164());
    o.put("business", c.business().address());
    o.put("businessName", configuration.number(c.business()).map(BusinessNumber::displayName).orElse(null));
    o.put("state", c.state().name());
    if (c.target() instanceof RouteTarget.Agent a) {
      o.put("agentId", a.agentId());
    } else if (c.target() instanceof RouteTarget.Queue q) {
      o.put("queue", q.queueCode());
    }
    o.put("openedAt", time(c.openedAt()));
    o.put("lastActivityAt", time(c.lastActivityAt()));
    o.put("endedAt", time(c.endedAt()));
    o.put("endReason", c.endReason() == null ? null : c.endReason().name());
    return o;
  }

  static ArrayNode conversations(List<Conversation> list, RoutingConfiguration configuration) {
    ArrayNode a = F.arrayNode();
    list.forEach(c -> a.add(conversation(c, configuration)));
    return a;
  }

  static ObjectNode entry(TranscriptEntry e) {
    ObjectNode o = F.objectNode();
    o.put("at", time(e.at()));
    o.put("direction", e.direction().name());
    o.put("author", e.author());
    o.put("text", e.text());
    o.put("messageId", e.messageId());
    return o;
  }

  static ObjectNode number(BusinessNumber n, String mappingCode) {
    ObjectNode o = F.objectNode();
    o.put("number", n.number().address());
    o.put("displayName", n.displayName());
    o.put("mapping", mappingCode);
    o.put("queue", n.queue().orElse(null));
    return o;
  }

  static ObjectNode agent(String agentId, AgentStatus s) {
    ObjectNode o = F.objectNode();
    o.put("agentId", agentId);
    o.put("registered", s != null);
    o.put("presence", s == null ? "AWAY" : s.presence().name());
    o.put("capacity", s == null ? 0 : s.capacity());
    o.put("load", s == null ? 0 : s.load());
    ArrayNode q = o.putArray("queues");
    if (s != null) {
      s.queues().stream().sorted().forEach(q::add);
    }
    return o;
  }

  static ObjectNode queue(QueueStatus q) {
    ObjectNode o = F.objectNode();
    o.put("queue", q.queue());
    o.put("waiting", q.waiting());
    o.put("agentsAvailable", q.agentsAvailable());
    o.put("freeCapacity", q.freeCapacity());
    o.put("oldestWaitingSince", time(q.oldestWaitingSince()));
    return o;
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
