package dev.smsgateway.twilio.flex;

/**
 * How {@link FlexDelivery#routeReply} routed a customer's reply that opened a new conversation.
 *
 * <p>Immutable and thread-safe.
 *
 * @param interactionSid the interaction created for it ({@code KD...})
 * @param taskSid its TaskRouter task, when Twilio reported it
 * @param workerSid the worker the task targets; null when it went to the mapping's workflow
 * @param reason why: the originator record and the worker's availability, for operators
 */
public record FlexReply(String interactionSid, String taskSid, String workerSid, String reason) {

  /** Whether the task targets the originating worker rather than the workflow's queue. */
  public boolean targeted() {
    return workerSid != null;
  }
}
