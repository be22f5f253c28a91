package dev.smsgateway.route;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ConversationRouter} decided for one inbound message. Never null; every decision says why in
 * {@link #reason()}, a short sentence fit for an INFO log line (it never contains a whole phone number or the text).
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface RouteDecision {

  /** Why this decision was made, for example {@code "originator record within TTL (agent alice)"}. */
  String reason();

  /**
   * To one agent: an open conversation's agent, or the agent who originated the conversation.
   *
   * @param agentId the agent
   * @param conversationId the conversation the message belongs to
   * @param whisper the text the agent sent that this message replies to, shown to the agent first; may be null
   * @param reason why
   */
  record ToAgent(String agentId, String conversationId, String whisper, String reason) implements RouteDecision {
    /** Checks required fields. */
    public ToAgent {
      Objects.requireNonNull(agentId, "agentId == null");
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /**
   * To a skill queue, where an available agent will be assigned.
   *
   * @param queueCode the queue
   * @param conversationId the conversation the message belongs to
   * @param reason why
   */
  record ToQueue(String queueCode, String conversationId, String reason) implements RouteDecision {
    /** Checks required fields. */
    public ToQueue {
      Objects.requireNonNull(queueCode, "queueCode == null");
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /**
   * To an Amazon Connect contact flow.
   *
   * @param contactFlowId the flow
   * @param conversationId the conversation the message belongs to
   * @param attributes contact attributes for the flow (customer number, business number, originating agent...)
   * @param reason why
   */
  record ToContactFlow(String contactFlowId, String conversationId, Map<String, String> attributes, String reason)
      implements RouteDecision {
    /** Copies the attributes. */
    public ToContactFlow {
      Objects.requireNonNull(contactFlowId, "contactFlowId == null");
      Objects.requireNonNull(reason, "reason == null");
      attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
  }

  /**
   * Answered by the library itself: an opt-out, an opt-in, a help request or a custom keyword.
   *
   * @param kind which sort of keyword
   * @param keyword the keyword as recognized (upper case)
   * @param reply the text sent back, or null when no reply is sent (suppressed, or the provider answers itself)
   * @param reason why
   */
  record AutoReply(Kind kind, String keyword, String reply, String reason) implements RouteDecision {
    /** Keyword classes. Immutable and thread-safe. */
    public enum Kind {
      /** STOP and its synonyms: the customer is opted out before any reply. */
      OPT_OUT,
      /** START and its synonyms: the customer is opted back in. */
      OPT_IN,
      /** HELP and its synonyms. */
      HELP,
      /** A configured keyword with a canned reply. */
      KEYWORD
    }

    /** Checks required fields. */
    public AutoReply {
      Objects.requireNonNull(kind, "kind == null");
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /**
   * Nowhere to go: no mapping for the business number, or a mapping without a target. Logged, never silent.
   *
   * @param reason why
   */
  record Unrouted(String reason) implements RouteDecision {
    /** Checks the reason. */
    public Unrouted {
      Objects.requireNonNull(reason, "reason == null");
    }
  }
}
