package dev.smsgateway.route;

import dev.smsgateway.InboundSms;

/**
 * Decides where an inbound message goes. The routing engine in {@code sms-routing} is the implementation most
 * applications use; the order it applies is: opt-out and help keywords, custom keywords, an open conversation, an
 * originator record within its TTL, the business number's target, otherwise {@link RouteDecision.Unrouted}.
 *
 * <p>Implementations are thread-safe, never return null, and never throw for unknown or odd input (an unknown
 * business number is {@link RouteDecision.Unrouted}). They may throw when a store fails, so that the provider is not
 * told the message was taken.
 */
public interface ConversationRouter {

  /** Routes one de-duplicated inbound message. */
  RouteDecision route(InboundSms sms);
}
