/**
 * The routing contract: a {@link dev.smsgateway.route.ConversationRouter} turns each de-duplicated inbound message
 * into a {@link dev.smsgateway.route.RouteDecision} (to an agent, a queue, a contact flow, an automatic reply, or
 * unrouted). The engine is in {@code sms-routing}; {@code ConversationRouterCompatibilityKit} in {@code sms-test}
 * checks any implementation.
 */
package dev.smsgateway.route;
