package dev.smsgateway.routing;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.store.Conversation;

/**
 * Tells the host application what happens to conversations: an agent was assigned, a conversation waits in a queue,
 * left its agent, a customer wrote, a message was delivered (or not), a conversation ended, a message could not be routed.
 *
 * <p>Threads: called on the thread that caused the event: the provider's I/O or webhook thread for inbound messages,
 * the application's thread for calls such as {@link ConversationService#end}, the sweeping thread for timeouts, and the
 * gateway's threads for delivery reports; with an events bus ({@link ConversationService.Builder#events}), the events of
 * conversations an agent has come on the bus subscription's thread of the instance the agent is registered on. Events
 * of one conversation caused by inbound messages are delivered one at a time and in the order the messages were
 * routed. With a bus, the conversation handed to a listener is read from the store when the event is delivered: an
 * event that waited for the agent's instance (the agent was connected nowhere, or their instance died holding it)
 * shows the conversation as it is by then. Implementations must be thread-safe and fast (hand work to an
 * executor); an exception thrown by a listener is logged and contained: it changes nothing, and other listeners still
 * run.
 */
public interface ConversationListener {

  /**
   * {@code agentId} now has the conversation: it opened by an agent's outbound message, was assigned from a queue, or
   * a reply was routed to its originating agent (who then has {@link ChatControl#agentAcceptTimeout()} to
   * {@link ConversationService#accept accept}).
   *
   * @param whisper the agent's original outbound text when a reply was routed by an originator record, else null
   */
  default void onAssigned(Conversation conversation, String agentId, String whisper) {}

  /**
   * The conversation waits in its queue: no available agent of the queue had capacity. Called each time it starts
   * waiting (a first message, a release, an accept timeout, an offline agent), before the {@link #onMessage} that
   * caused it, if any. Later positions: {@link ConversationMonitor#position}.
   *
   * @param position its place in the queue, 1 being assigned next
   * @param depth how many conversations wait in that queue, this one included
   */
  default void onQueued(Conversation conversation, int position, int depth) {}

  /** The customer wrote; {@code conversation} says who handles it (an agent, or a queue while it waits). */
  default void onMessage(Conversation conversation, InboundSms sms) {}

  /** A delivery report for a message the service sent in {@code conversationId}. */
  default void onDeliveryReport(String conversationId, DeliveryReport report, DeliveryStatus merged) {}

  /**
   * {@code agentId} no longer has the open conversation: they released it ({@link ConversationService#release}), did
   * not accept it in time, or were offline when the customer wrote. Called before the {@link #onQueued} or
   * {@link #onAssigned} that says where it went; {@code conversation} is as it was just after it left the agent (its
   * target is the queue). With an events bus it comes, like the agent's other events, on the agent's instance.
   */
  default void onReleased(Conversation conversation, String agentId) {}

  /** The conversation ended ({@link Conversation#endReason()} says why). */
  default void onEnded(Conversation conversation) {}

  /** An inbound message had nowhere to go (no mapping holds its business number); {@code reason} says why. */
  default void onUnrouted(InboundSms sms, String reason) {}
}
