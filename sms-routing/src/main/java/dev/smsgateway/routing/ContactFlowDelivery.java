package dev.smsgateway.routing;

import java.util.concurrent.CompletableFuture;

/**
 * Hands conversations to a contact-center flow (Amazon Connect: {@code sms-connect}'s
 * {@code AmazonConnectContactFlowDelivery}). The {@link ConversationService} calls it for {@link Delivery#CONTACT_FLOW}
 * mappings: {@link #startChat} for inbound messages, {@link #startOutboundChat} for agent-originated messages on
 * numbers the contact center owns.
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
}
