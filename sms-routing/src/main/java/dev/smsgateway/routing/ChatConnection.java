package dev.smsgateway.routing;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link ContactFlowDelivery} returns for a chat it opened or wrote into: the contact and, when it keeps a
 * connection for the customer's side (Amazon Connect: a participant connection), the participant and the tokens.
 * The service keeps it in the {@link dev.smsgateway.store.ConversationStore} as a
 * {@link dev.smsgateway.store.ChatLink}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the tokens.
 *
 * @param contactId the contact
 * @param participantId the customer participant, or null without a connection
 * @param participantToken renews the connection; null without a connection
 * @param connectionToken the connection's token; null without a connection
 * @param connectionExpiresAt when the connection token expires; null without a connection
 */
public record ChatConnection(String contactId, String participantId, String participantToken,
    String connectionToken, Instant connectionExpiresAt) {

  /** Checks the contact id. */
  public ChatConnection {
    Objects.requireNonNull(contactId, "contactId == null");
  }

  /** A contact without a connection: later messages start contacts of their own. */
  public static ChatConnection contactOnly(String contactId) {
    return new ChatConnection(contactId, null, null, null, null);
  }

  /** Never shows the tokens. */
  @Override
  public String toString() {
    return "ChatConnection{contactId=" + contactId + ", participantId=" + participantId + ", connection="
        + (connectionToken == null ? "none" : "****") + ", expiresAt=" + connectionExpiresAt + "}";
  }
}
