package dev.smsgateway.routing;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link ConversationService#startOutbound}: the conversation it opened (or joined), and how the message
 * left.
 *
 * <p>Immutable and thread-safe.
 *
 * @param conversationId our conversation id
 * @param messageId the gateway's message id, or null when Amazon Connect sent the message
 * @param contactId the Amazon Connect contact id, or null when the gateway sent the message
 */
public record OutboundConversation(String conversationId, String messageId, String contactId) {

  /** Checks the conversation id. */
  public OutboundConversation {
    Objects.requireNonNull(conversationId, "conversationId == null");
  }

  /** The gateway's message id, when the gateway sent it. */
  public Optional<String> gatewayMessageId() {
    return Optional.ofNullable(messageId);
  }

  /** The Amazon Connect contact id, when Amazon Connect sent it. */
  public Optional<String> connectContactId() {
    return Optional.ofNullable(contactId);
  }
}
