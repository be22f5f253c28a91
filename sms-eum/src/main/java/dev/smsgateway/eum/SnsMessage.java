package dev.smsgateway.eum;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An SNS message whose signature, topic and timestamp {@link SnsMessageVerifier} checked.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type {@code Notification}, {@code SubscriptionConfirmation} or {@code UnsubscribeConfirmation}
 * @param messageId SNS's MessageId (the same on SNS's redeliveries)
 * @param topicArn the topic it came from (one of the allow-listed ones)
 * @param subject the notification's Subject, or null
 * @param message the Message text (for notifications, what the publisher published)
 * @param timestamp when SNS published it
 * @param token the confirmation token of a (un)subscription confirmation, else null
 */
public record SnsMessage(String type, String messageId, String topicArn, String subject, String message,
    Instant timestamp, String token) {

  /** The {@link #type()} of a published message. */
  public static final String NOTIFICATION = SnsEnvelope.NOTIFICATION;
  /** The {@link #type()} SNS sends when an HTTP(S) endpoint is subscribed. */
  public static final String SUBSCRIPTION_CONFIRMATION = SnsEnvelope.SUBSCRIPTION_CONFIRMATION;
  /** The {@link #type()} SNS sends when the endpoint is unsubscribed. */
  public static final String UNSUBSCRIBE_CONFIRMATION = SnsEnvelope.UNSUBSCRIBE_CONFIRMATION;

  /** Checks the fields every SNS message has. */
  public SnsMessage {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(topicArn, "topicArn == null");
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(timestamp, "timestamp == null");
  }

  /** The Subject, when the publisher set one. */
  public Optional<String> subjectIfAny() {
    return Optional.ofNullable(subject);
  }

  /** Never prints the message. */
  @Override
  public String toString() {
    return "SnsMessage{type=" + type + ", messageId=" + messageId + ", topicArn=" + topicArn + "}";
  }
}
