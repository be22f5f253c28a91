package dev.smsgateway.routing;

/**
 * How a mapping's conversations are handled.
 *
 * <p>Immutable and thread-safe.
 */
public enum Delivery {
  /** The library's own skill queues and agents ({@link ConversationService}). Every number names a queue. */
  QUEUE,
  /** An Amazon Connect contact flow, through a {@link ContactFlowDelivery}. Every number names a contact flow. */
  CONTACT_FLOW,
  /**
   * Twilio Flex: conversations are Flex interactions on the mapping's {@link Mapping#flex() FlexRouting} (module
   * sms-twilio-flex). Every number still names a queue, for a message that reaches the library's own webhook.
   */
  FLEX
}
