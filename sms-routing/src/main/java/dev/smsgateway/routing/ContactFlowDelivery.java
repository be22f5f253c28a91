package dev.smsgateway.routing;

import dev.smsgateway.store.ChatLink;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands conversations to a contact-center flow (Amazon Connect: {@code sms-connect}'s
 * {@code AmazonConnectContactFlowDelivery}). The {@link ConversationService} calls it for {@link Delivery#CONTACT_FLOW}
 * mappings: {@link #openChat} for the first inbound message of a conversation and {@link #sendMessage} for the next
 * ones (one chat per conversation), {@link #startOutboundChat} for agent-originated messages on numbers the contact
 * center owns, {@link #endChat} when the conversation ends on this side (idle timeout, opt-out, the application).
 * An implementation that keeps no connection for the customer's side implements only {@link #startChat} and
 * {@link #startOutboundChat}: every inbound message then starts a contact of its own, related to the conversation's
 * first one.
 *
 * <p>Contract: both methods validate their input before any request leaves (failing the future with an
 * {@link dev.smsgateway.SmsValidationException} naming the field), never throw, and fail the future with an
 * {@link dev.smsgateway.SmsException} of the right category (throttled, transport, configuration, rejected). The
 * {@code clientToken} makes a repeated call with the same token start at most one contact.
 *
 * <p>Implementations are thread-safe.
 */
public interface ContactFlowDelivery {

  /** Starts a chat contact in a flow with the customer's message; completes with the contact id. */
  CompletableFuture<String> startChat(InboundChat chat);

  /** Starts an outbound SMS chat contact from a contact-center number; completes with the contact id. */
  CompletableFuture<String> startOutboundChat(OutboundChat chat);

  /**
   * Opens the chat of a conversation with its first message. Default: {@link #startChat}, without a connection.
   *
   * @return the contact and, when the implementation keeps one, the customer participant's connection
   */
  default CompletableFuture<ChatConnection> openChat(InboundChat chat) {
    return startChat(chat).thenApply(ChatConnection::contactOnly);
  }

  /**
   * Puts a later message of the conversation into its open chat ({@code link.hasConnection()}); the
   * {@code clientToken} makes a repeated call with the same token add the message once. Renews an expired connection
   * on the way.
   *
   * @return the connection in use after the send (the link's, or a renewed one)
   */
  default CompletableFuture<ChatConnection> sendMessage(ChatLink link, String text, String clientToken) {
    return CompletableFuture.failedFuture(new dev.smsgateway.SmsConfigurationException(getClass().getName()
        + " keeps no chat connection"));
  }

  /**
   * The chat's items after {@code cursor} (exclusive; null for all), oldest first: what the way back turns into SMS
   * and lifecycle changes. Default: none.
   *
   * @return the items and the connection in use after the call (renewed if it had expired)
   */
  default CompletableFuture<ChatItems> itemsAfter(ChatLink link, String cursor) {
    return CompletableFuture.completedFuture(new ChatItems(List.of(), null));
  }

  /**
   * Joins an outbound chat this delivery started ({@link #startOutboundChat}) with a participant of the application's
   * own, so that the agent's later messages in the conversation go into that chat ({@link #sendMessage}) and the
   * customer's replies in it come back ({@link #itemsAfter}); Amazon Connect: CreateParticipant (role
   * {@code CUSTOM_BOT}), StartContactStreaming, CreateParticipantConnection. The {@code clientToken} makes a repeated
   * call for the same contact add one participant. Default: no connection (the conversation keeps only the contact).
   *
   * @param displayName the participant's display name in the chat (what the contact center's agents see)
   * @return the contact and the application participant's connection
   */
  default CompletableFuture<ChatConnection> joinChat(String contactId, String displayName, String clientToken) {
    return CompletableFuture.completedFuture(ChatConnection.contactOnly(contactId));
  }

  /**
   * Ends the customer's side of the chat, so that the contact does not stay open: the conversation ended here (idle
   * timeout, opt-out, the application). Default: nothing.
   */
  default CompletableFuture<Void> endChat(ChatLink link) {
    return CompletableFuture.completedFuture(null);
  }
}
