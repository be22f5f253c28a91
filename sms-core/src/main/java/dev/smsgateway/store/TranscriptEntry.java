package dev.smsgateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a conversation's transcript.
 *
 * <p>Immutable and thread-safe. {@link #toString()} omits the text.
 *
 * @param conversationId the conversation
 * @param at when it was sent or received
 * @param direction which way it went
 * @param author the agent id for agent messages (and whispers), {@code customer} for inbound, {@code system} for system
 *     messages
 * @param text the text
 * @param messageId our message id (outbound) or the provider's id (inbound); may be null
 */
public record TranscriptEntry(String conversationId, Instant at, Direction direction, String author, String text,
    String messageId) {

  /** Which way a message went. Immutable and thread-safe. */
  public enum Direction {
    /** From the customer. */
    INBOUND,
    /** From an agent to the customer. */
    OUTBOUND,
    /** A system message (agent joined, conversation ended...), sent or only recorded. */
    SYSTEM,
    /**
     * The agent's original outbound message that a customer's reply answered, copied into the conversation that reply
     * opened (the whisper): its time, author and message id are the original's. Recorded, never sent again.
     */
    WHISPER
  }

  /** Checks required fields. */
  public TranscriptEntry {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(at, "at == null");
    Objects.requireNonNull(direction, "direction == null");
    Objects.requireNonNull(text, "text == null");
  }

  @Override
  public String toString() {
    return "TranscriptEntry{conversationId=" + conversationId + ", at=" + at + ", direction=" + direction
        + ", author=" + author + ", length=" + text.length() + "}";
  }
}
