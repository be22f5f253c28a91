package dev.smsgateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A reply offered to the agent who originated its conversation, to accept before {@code deadline}; after it, any
 * instance's sweep moves the conversation to its number's queue.
 *
 * @param conversationId the conversation (at most one offer each)
 * @param agentId the agent it is offered to
 * @param deadline when the offer lapses
 */
public record AgentOffer(String conversationId, String agentId, Instant deadline) {

  /** Checks. */
  public AgentOffer {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(deadline, "deadline == null");
  }
}
