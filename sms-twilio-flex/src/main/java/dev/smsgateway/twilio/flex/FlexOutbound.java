package dev.smsgateway.twilio.flex;

/**
 * What {@link FlexDelivery#startOutbound} created. On the Interactions API: the interaction, its conversation, task
 * and first message. On Flex Flow channels: the chat channel, its task, the Proxy session and the first message's
 * Proxy interaction. SIDs a path does not create are null.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode which API created it
 * @param interactionSid the Flex interaction ({@code KD...}); null on Flex Flow channels
 * @param conversationSid the conversation ({@code CH...}): a Conversations conversation, or the Flex Flow chat channel
 * @param taskSid the TaskRouter task ({@code WT...}) when Twilio reported it
 * @param messageSid the first message: a Conversations message ({@code IM...}) or a Proxy interaction ({@code KI...})
 * @param proxySessionSid the Proxy session ({@code KC...}); null on the Interactions API
 * @param reservationAccepted whether the library accepted the worker's reservation (auto-accept asked and a pending
 *     reservation found); false leaves accepting to the agent or to a Flex UI plugin reading {@code autoAnswer}
 */
public record FlexOutbound(FlexDelivery.Mode mode, String interactionSid, String conversationSid, String taskSid,
    String messageSid, String proxySessionSid, boolean reservationAccepted) {}
