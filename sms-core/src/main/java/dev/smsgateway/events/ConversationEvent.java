package dev.smsgateway.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened to a conversation, addressed to one stream (usually an agent id), carried by reference: the
 * ids let the receiving instance read the conversation, the message or the transcript from the stores it shares with
 * the publisher. The information is that of {@code ConversationListener} in sms-routing:
 * <ul>
 *   <li>{@link Type#ASSIGNED}: the agent has {@link #conversationId()}; {@link #detail()} is the whisper (the agent's
 *       original outbound text when a reply was routed by an originator record), or null;
 *   <li>{@link Type#MESSAGE}: the customer wrote; {@link #messageId()} is the inbound message's id;
 *   <li>{@link Type#DELIVERY_REPORT}: {@link #messageId()} is our id of the sent message, {@link #detail()} the merged
 *       {@code DeliveryStatus} name;
 *   <li>{@link Type#QUEUED}: the conversation waits; {@link #detail()} is {@code "position/depth"} (see
 *       {@link #queuePosition()}, {@link #queueDepth()}); its stream is usually a watcher's, such as
 *       {@code "queue:support"};
 *   <li>{@link Type#ENDED}: {@link #detail()} is the {@code Conversation.EndReason} name;
 *   <li>{@link Type#RELEASED}: the open conversation left the agent: released to its queue, not accepted in time, or
 *       moved to the queue because the agent was offline when the customer wrote.
 * </ul>
 *
 * <p>{@link #position()} is 0 until the event is published, then its place in its stream: 1, 2, 3... with no gaps
 * and in the order the publishes returned.
 *
 * <p>Immutable and thread-safe. {@link #toString()} leaves out {@link #detail()}, which may hold message text.
 *
 * @param stream whose event it is: an agent id, or a key a watcher subscribes to
 * @param position its place in the stream, 0 before publishing
 * @param type what happened
 * @param conversationId the conversation
 * @param messageId the message the event is about ({@link Type#MESSAGE}, {@link Type#DELIVERY_REPORT}), else null
 * @param detail the per-type value described above, or null
 * @param at when it happened
 */
public record ConversationEvent(String stream, long position, Type type, String conversationId, String messageId,
    String detail, Instant at) {

  /** What happened. Immutable and thread-safe. */
  public enum Type {
    /** An agent got the conversation. */
    ASSIGNED,
    /** The customer wrote. */
    MESSAGE,
    /** A provider reported on a message sent in the conversation. */
    DELIVERY_REPORT,
    /** The conversation waits in a queue. */
    QUEUED,
    /** The conversation ended. */
    ENDED,
    /** The open conversation left the agent (released, not accepted in time, agent offline). */
    RELEASED
  }

  /** The longest stream name, conversation or message id the stores accept. */
  public static final int MAX_ID_LENGTH = 256;

  /** Checks required fields. */
  public ConversationEvent {
    requireId("stream", stream);
    requireId("conversationId", conversationId);
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(at, "at == null");
    if (messageId != null) {
      requireId("messageId", messageId);
    }
    if (position < 0) {
      throw new IllegalArgumentException("position < 0: " + position);
    }
  }

  private static void requireId(String field, String value) {
    Objects.requireNonNull(value, field + " == null");
    if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(field + " must have 1 to " + MAX_ID_LENGTH + " characters, has "
          + value.length());
    }
  }

  /** {@link Type#ASSIGNED} to {@code agentId}, with the whisper or null. */
  public static ConversationEvent assigned(String agentId, String conversationId, String whisper, Instant at) {
    return new ConversationEvent(agentId, 0, Type.ASSIGNED, conversationId, null, whisper, at);
  }

  /** {@link Type#MESSAGE}: the customer's message {@code inboundMessageId} for the agent. */
  public static ConversationEvent message(String agentId, String conversationId, String inboundMessageId, Instant at) {
    return new ConversationEvent(agentId, 0, Type.MESSAGE, conversationId, inboundMessageId, null, at);
  }

  /** {@link Type#DELIVERY_REPORT}: our message {@code messageId} now has the merged status {@code status}. */
  public static ConversationEvent deliveryReport(String agentId, String conversationId, String messageId,
      String status, Instant at) {
    Objects.requireNonNull(status, "status == null");
    return new ConversationEvent(agentId, 0, Type.DELIVERY_REPORT, conversationId, messageId, status, at);
  }

  /** {@link Type#QUEUED} for the watchers of {@code stream}: 1-based {@code position} among {@code depth}. */
  public static ConversationEvent queued(String stream, String conversationId, int position, int depth, Instant at) {
    if (position < 1 || depth < position) {
      throw new IllegalArgumentException("queue position must be 1..depth, is " + position + " of " + depth);
    }
    return new ConversationEvent(stream, 0, Type.QUEUED, conversationId, null, position + "/" + depth, at);
  }

  /** {@link Type#ENDED} for the agent that had it, with the end reason's name. */
  public static ConversationEvent ended(String agentId, String conversationId, String endReason, Instant at) {
    Objects.requireNonNull(endReason, "endReason == null");
    return new ConversationEvent(agentId, 0, Type.ENDED, conversationId, null, endReason, at);
  }

  /** {@link Type#RELEASED} by {@code agentId}. */
  public static ConversationEvent released(String agentId, String conversationId, Instant at) {
    return new ConversationEvent(agentId, 0, Type.RELEASED, conversationId, null, null, at);
  }

  /** This event at {@code position} in its stream (what a log does when it appends it). */
  public ConversationEvent withPosition(long position) {
    if (position < 1) {
      throw new IllegalArgumentException("a published position starts at 1: " + position);
    }
    return new ConversationEvent(stream, position, type, conversationId, messageId, detail, at);
  }

  /** For {@link Type#QUEUED}: the 1-based place in the queue; otherwise -1. */
  public int queuePosition() {
    return type == Type.QUEUED && detail != null ? Integer.parseInt(detail.substring(0, detail.indexOf('/'))) : -1;
  }

  /** For {@link Type#QUEUED}: how many wait in the queue, this one included; otherwise -1. */
  public int queueDepth() {
    return type == Type.QUEUED && detail != null ? Integer.parseInt(detail.substring(detail.indexOf('/') + 1)) : -1;
  }

  @Override
  public String toString() {
    return "ConversationEvent{stream=" + stream + ", position=" + position + ", type=" + type + ", conversationId="
        + conversationId + (messageId == null ? "" : ", messageId=" + messageId) + ", at=" + at + "}";
  }
}
