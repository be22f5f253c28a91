package dev.smsgateway.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.route.RouteDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INFO line {@link RoutingEngine} writes for every decision, on the {@code dev.smsgateway.routing.RoutingEngine}
 * logger: message id, masked numbers, provider, the decision's kind, target and conversation, and its reason; never a
 * text. Stateless.
 */
final class DecisionLog {

  private static final Logger log = LoggerFactory.getLogger(RoutingEngine.class);

  private DecisionLog() {}

  static void log(InboundSms sms, RouteDecision d) {
    if (log.isInfoEnabled()) {
      // Numbers are masked by their toString and the outcome is described by its toString: both run only when an
      // appender formats the line.
      // One argument rather than six: logback copies the arguments into an array per event.
      log.info("routed {}", new Outcome(sms, d));
    }
  }

  /**
   * The log line after "routed ": the message id, masked numbers, provider, the decision's kind, target and
   * conversation, and its reason; never the whisper or reply text.
   */
  private record Outcome(InboundSms sms, RouteDecision d) {
    @Override
    public String toString() {
      return sms.providerMessageId() + " from " + sms.from() + " to " + sms.to() + " via " + sms.provider() + ": "
          + kind() + " (" + d.reason() + ")";
    }

    private String kind() {
      if (d instanceof RouteDecision.ToAgent a) {
        return "ToAgent " + a.agentId() + " in conversation " + a.conversationId();
      }
      if (d instanceof RouteDecision.ToQueue q) {
        return "ToQueue " + q.queueCode() + " in conversation " + q.conversationId();
      }
      if (d instanceof RouteDecision.ToContactFlow f) {
        return "ToContactFlow " + f.contactFlowId() + " in conversation " + f.conversationId();
      }
      if (d instanceof RouteDecision.AutoReply r) {
        return "AutoReply " + r.kind();
      }
      return d.getClass().getSimpleName();
    }
  }
}
