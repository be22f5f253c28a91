package dev.smsgateway.test.connect;

import java.time.Instant;

/**
 * One item of a chat transcript in {@link AmazonConnectStandIn}, as Amazon Connect's GetTranscript and chat streaming
 * show it.
 *
 * @param id the item id
 * @param absoluteTime when it happened
 * @param type {@code MESSAGE} or {@code EVENT}
 * @param contentType {@code text/plain} for messages; for events e.g.
 *     {@code application/vnd.amazonaws.connect.event.participant.joined}
 * @param content the text of a message, else null
 * @param participantId who wrote it or whom the event concerns, or null
 * @param displayName that participant's display name, or null
 * @param participantRole {@code CUSTOMER}, {@code AGENT}, {@code SYSTEM}, or null
 */
public record ChatItem(String id, Instant absoluteTime, String type, String contentType, String content,
    String participantId, String displayName, String participantRole) {

  /** The event content type a participant joining has. */
  public static final String JOINED = "application/vnd.amazonaws.connect.event.participant.joined";
  /** The event content type a participant leaving has. */
  public static final String LEFT = "application/vnd.amazonaws.connect.event.participant.left";
  /** The event content type of the end of the chat. */
  public static final String ENDED = "application/vnd.amazonaws.connect.event.chat.ended";

  /** Whether it is a message (not an event). */
  public boolean isMessage() {
    return "MESSAGE".equals(type);
  }

  /** Never shows the content. */
  @Override
  public String toString() {
    return "ChatItem{id=" + id + ", type=" + type + ", contentType=" + contentType + ", role=" + participantRole
        + ", contentLength=" + (content == null ? 0 : content.length()) + "}";
  }
}
