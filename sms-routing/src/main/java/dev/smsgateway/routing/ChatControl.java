package dev.smsgateway.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How a mapping's conversations behave: the idle timeout, the system messages the customer sees, and how long an
 * originating agent has to accept a reply before it goes to the number's queue.
 *
 * <p>System messages (agent joined, agent left, conversation ended, idle timeout, all agents busy) are always written
 * to the transcript; they are sent to the customer unless {@link #suppressSystemMessages()} is set. Keyword replies
 * (STOP, START, HELP) are compliance messages and are not affected.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChatControl {

  static final Duration MIN_IDLE = Duration.ofMinutes(1);
  static final Duration MAX_IDLE = Duration.ofMinutes(60);
  static final Duration MIN_ACCEPT = Duration.ofSeconds(5);
  static final Duration MAX_ACCEPT = Duration.ofMinutes(30);
  // GSM 03.40 concatenation: 10 parts of 153 GSM-7 characters is the most we let a system message use.
  static final int MAX_MESSAGE_LENGTH = 1530;

  private static final ChatControl DEFAULTS = builder().build("chatControl");

  private final boolean suppressSystemMessages;
  private final Duration idleTimeout;
  private final String idleTimeoutMessage;
  private final String maxChatsMessage;
  private final String agentJoinedMessage;
  private final String agentLeftMessage;
  private final String endedMessage;
  private final Duration agentAcceptTimeout;
  private final Duration chatDuration;

  private ChatControl(Builder b) {
    this.suppressSystemMessages = b.suppressSystemMessages;
    this.idleTimeout = b.idleTimeout;
    this.idleTimeoutMessage = b.idleTimeoutMessage;
    this.maxChatsMessage = b.maxChatsMessage;
    this.agentJoinedMessage = b.agentJoinedMessage;
    this.agentLeftMessage = b.agentLeftMessage;
    this.endedMessage = b.endedMessage;
    this.agentAcceptTimeout = b.agentAcceptTimeout;
    this.chatDuration = b.chatDuration;
  }

  /** The defaults: system messages sent, 10 minute idle timeout, 60 seconds to accept. */
  public static ChatControl defaults() {
    return DEFAULTS;
  }

  /** A new builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.suppressSystemMessages = suppressSystemMessages;
    b.idleTimeout = idleTimeout;
    b.idleTimeoutMessage = idleTimeoutMessage;
    b.maxChatsMessage = maxChatsMessage;
    b.agentJoinedMessage = agentJoinedMessage;
    b.agentLeftMessage = agentLeftMessage;
    b.endedMessage = endedMessage;
    b.agentAcceptTimeout = agentAcceptTimeout;
    b.chatDuration = chatDuration;
    return b;
  }

  /** Whether system messages are only recorded in the transcript, not sent. Default false. */
  public boolean suppressSystemMessages() {
    return suppressSystemMessages;
  }

  /** A conversation with no message either way for this long ends. 1 to 60 minutes; default 10 minutes. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Sent when a conversation ends for idleness. */
  public String idleTimeoutMessage() {
    return idleTimeoutMessage;
  }

  /** Sent when a conversation waits in a queue because every agent is at capacity. */
  public String maxChatsMessage() {
    return maxChatsMessage;
  }

  /** Sent when a queued conversation is assigned to an agent. */
  public String agentJoinedMessage() {
    return agentJoinedMessage;
  }

  /** Sent when an agent hands a conversation back to the queue. */
  public String agentLeftMessage() {
    return agentLeftMessage;
  }

  /** Sent when an agent ends a conversation. */
  public String endedMessage() {
    return endedMessage;
  }

  /**
   * How long an originating agent has to accept a reply routed to them by an originator record (step 4) before it
   * goes to the number's queue. 5 seconds to 30 minutes; default 60 seconds.
   */
  public Duration agentAcceptTimeout() {
    return agentAcceptTimeout;
  }

  /**
   * The longest a contact-flow chat (Amazon Connect's ChatDurationInMinutes) of this mapping's conversations may
   * last, however active; empty (the default) leaves it to the contact-flow delivery (Amazon Connect: 25 hours).
   * Whole minutes from 60 to 10,080 (7 days).
   */
  public java.util.Optional<Duration> chatDuration() {
    return java.util.Optional.ofNullable(chatDuration);
  }

  @Override
  public String toString() {
    return "ChatControl{suppressSystemMessages=" + suppressSystemMessages + ", idleTimeout=" + idleTimeout
        + ", agentAcceptTimeout=" + agentAcceptTimeout + (chatDuration == null ? "" : ", chatDuration=" + chatDuration)
        + "}";
  }

  /** Builds {@link ChatControl}. Not thread-safe. */
  public static final class Builder {
    private boolean suppressSystemMessages;
    private Duration idleTimeout = Duration.ofMinutes(10);
    private String idleTimeoutMessage = "This conversation was closed after a period of inactivity. Text us any time.";
    private String maxChatsMessage = "All of our agents are busy. We will reply as soon as one is free.";
    private String agentJoinedMessage = "An agent has joined the conversation.";
    private String agentLeftMessage = "The agent has left the conversation. Another agent will be with you shortly.";
    private String endedMessage = "This conversation has ended. Thank you.";
    private Duration agentAcceptTimeout = Duration.ofSeconds(60);
    private Duration chatDuration;

    private Builder() {}

    /** Only record system messages in the transcript; do not send them. */
    public Builder suppressSystemMessages(boolean suppressSystemMessages) {
      this.suppressSystemMessages = suppressSystemMessages;
      return this;
    }

    /** 1 to 60 minutes. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** Sent when a conversation ends for idleness. */
    public Builder idleTimeoutMessage(String idleTimeoutMessage) {
      this.idleTimeoutMessage = idleTimeoutMessage;
      return this;
    }

    /** Sent when every agent is at capacity. */
    public Builder maxChatsMessage(String maxChatsMessage) {
      this.maxChatsMessage = maxChatsMessage;
      return this;
    }

    /** Sent when an agent is assigned from the queue. */
    public Builder agentJoinedMessage(String agentJoinedMessage) {
      this.agentJoinedMessage = agentJoinedMessage;
      return this;
    }

    /** Sent when an agent hands a conversation back. */
    public Builder agentLeftMessage(String agentLeftMessage) {
      this.agentLeftMessage = agentLeftMessage;
      return this;
    }

    /** Sent when an agent ends a conversation. */
    public Builder endedMessage(String endedMessage) {
      this.endedMessage = endedMessage;
      return this;
    }

    /** 5 seconds to 30 minutes. */
    public Builder agentAcceptTimeout(Duration agentAcceptTimeout) {
      this.agentAcceptTimeout = agentAcceptTimeout;
      return this;
    }

    /** Whole minutes from 60 to 10,080; null (the default) for the contact-flow delivery's own. */
    public Builder chatDuration(Duration chatDuration) {
      this.chatDuration = chatDuration;
      return this;
    }

    /**
     * Builds and validates.
     *
     * @throws dev.smsgateway.SmsValidationException naming the field ({@code chatControl.idleTimeout}) and the value
     */
    public ChatControl build() {
      return build("chatControl");
    }

    ChatControl build(String path) {
      Checks.durationBetween(path + ".idleTimeout", idleTimeout, MIN_IDLE, MAX_IDLE);
      Checks.durationBetween(path + ".agentAcceptTimeout", agentAcceptTimeout, MIN_ACCEPT, MAX_ACCEPT);
      ContactLimits.chatDuration(path + ".chatDuration", chatDuration);
      Checks.text(path + ".idleTimeoutMessage", idleTimeoutMessage, MAX_MESSAGE_LENGTH);
      Checks.text(path + ".maxChatsMessage", maxChatsMessage, MAX_MESSAGE_LENGTH);
      Checks.text(path + ".agentJoinedMessage", agentJoinedMessage, MAX_MESSAGE_LENGTH);
      Checks.text(path + ".agentLeftMessage", agentLeftMessage, MAX_MESSAGE_LENGTH);
      Checks.text(path + ".endedMessage", endedMessage, MAX_MESSAGE_LENGTH);
      return new ChatControl(this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatControl c && suppressSystemMessages == c.suppressSystemMessages
        && idleTimeout.equals(c.idleTimeout) && idleTimeoutMessage.equals(c.idleTimeoutMessage)
        && maxChatsMessage.equals(c.maxChatsMessage) && agentJoinedMessage.equals(c.agentJoinedMessage)
        && agentLeftMessage.equals(c.agentLeftMessage) && endedMessage.equals(c.endedMessage)
        && agentAcceptTimeout.equals(c.agentAcceptTimeout) && Objects.equals(chatDuration, c.chatDuration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(suppressSystemMessages, idleTimeout, idleTimeoutMessage, maxChatsMessage, agentJoinedMessage,
        agentLeftMessage, endedMessage, agentAcceptTimeout,
        chatDuration);
  }
}
