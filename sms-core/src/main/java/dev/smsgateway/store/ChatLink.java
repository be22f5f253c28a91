package dev.smsgateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The contact-center chat a conversation is carried in (Amazon Connect: one chat contact per SMS conversation), kept
 * in the {@link ConversationStore} so that every gateway instance puts the customer's messages into the same chat
 * and sends the agent's messages to the right customer. Changes are optimistic, by {@link #version()}.
 *
 * <p>The participant token and the connection token are bearer secrets: {@link #toString()} never shows them (nor
 * does this library log them); a store keeps them as it keeps message bodies.
 *
 * <p>Immutable and thread-safe.
 *
 * @param conversationId the conversation (key)
 * @param contactId the chat contact (unique among links)
 * @param participantId the customer participant, or null when the flow has no participant connection
 * @param participantToken the customer participant's token, renews the connection; null without a participant
 * @param connectionToken the participant connection's token; null without a participant
 * @param connectionExpiresAt when the connection token expires; null without a participant
 * @param cursor the id of the last chat item handled on the way back (agent messages, events), or null
 * @param open false once the chat ended (by the agent, the flow, or the customer participant disconnecting)
 * @param updatedAt the last change
 * @param version starts at 1, one higher on each change
 */
public record ChatLink(String conversationId, String contactId, String participantId, String participantToken,
    String connectionToken, Instant connectionExpiresAt, String cursor, boolean open, Instant updatedAt,
    long version) {

  /** Checks required fields. */
  public ChatLink {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(contactId, "contactId == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    if (version < 1) {
      throw new IllegalArgumentException("version < 1: " + version);
    }
    if ((participantToken == null) != (connectionToken == null)) {
      throw new IllegalArgumentException("participantToken and connectionToken are set together or not at all");
    }
  }

  /** A new link, version 1. */
  public static ChatLink of(String conversationId, String contactId, String participantId, String participantToken,
      String connectionToken, Instant connectionExpiresAt, Instant now) {
    return new ChatLink(conversationId, contactId, participantId, participantToken, connectionToken,
        connectionExpiresAt, null, true, now, 1);
  }

  /** Whether a participant connection exists (messages go into the chat rather than start a contact). */
  public boolean hasConnection() {
    return connectionToken != null;
  }

  /** A copy with a renewed connection. */
  public ChatLink withConnection(String connectionToken, Instant connectionExpiresAt, Instant now) {
    return new ChatLink(conversationId, contactId, participantId, participantToken,
        Objects.requireNonNull(connectionToken, "connectionToken == null"), connectionExpiresAt, cursor, open, now,
        version + 1);
  }

  /** A copy whose way-back cursor moved to {@code cursor}. */
  public ChatLink withCursor(String cursor, Instant now) {
    return new ChatLink(conversationId, contactId, participantId, participantToken, connectionToken,
        connectionExpiresAt, Objects.requireNonNull(cursor, "cursor == null"), open, now, version + 1);
  }

  /** A copy marked ended. */
  public ChatLink closed(Instant now) {
    return new ChatLink(conversationId, contactId, participantId, participantToken, connectionToken,
        connectionExpiresAt, cursor, false, now, version + 1);
  }

  /** Never shows the tokens. */
  @Override
  public String toString() {
    return "ChatLink{conversationId=" + conversationId + ", contactId=" + contactId + ", participantId="
        + participantId + ", connection=" + (connectionToken == null ? "none" : "****") + ", connectionExpiresAt="
        + connectionExpiresAt + ", cursor=" + cursor + ", open=" + open + ", version=" + version + "}";
  }
}
