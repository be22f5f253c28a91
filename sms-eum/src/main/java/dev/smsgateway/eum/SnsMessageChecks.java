package dev.smsgateway.eum;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The checks of an SNS envelope that come before its signature, shared by {@link SnsWebhookHandler} and
 * {@link SnsMessageVerifier}: the topic is allow-listed, and the {@code Timestamp} is inside the replay window (not
 * older than {@code maxMessageAge}, not more than {@code maxClockSkew} in the future). Thread-safe.
 */
final class SnsMessageChecks {

  private final Set<String> allowedTopicArns;
  private final Clock clock;
  private final Duration maxMessageAge;
  private final Duration maxClockSkew;

  SnsMessageChecks(Set<String> allowedTopicArns, Clock clock, Duration maxMessageAge, Duration maxClockSkew) {
    this.allowedTopicArns = Set.copyOf(allowedTopicArns);
    this.clock = clock;
    this.maxMessageAge = maxMessageAge;
    this.maxClockSkew = maxClockSkew;
  }

  /** Refuses (403) a message of a topic that is not allow-listed. */
  void checkTopic(SnsEnvelope envelope) throws SnsRejection {
    if (!allowedTopicArns.contains(envelope.topicArn())) {
      throw new SnsRejection(403, "topic " + envelope.topicArn() + " is not allow-listed");
    }
  }

  /** The message's Timestamp, refused (400) when it does not parse or lies outside the replay window. */
  Instant checkTimestamp(SnsEnvelope envelope) throws SnsRejection {
    Instant timestamp;
    try {
      timestamp = Instant.parse(envelope.timestamp());
    } catch (DateTimeParseException e) {
      throw new SnsRejection(400, "Timestamp is not ISO-8601");
    }
    Instant now = clock.instant();
    if (timestamp.isBefore(now.minus(maxMessageAge))) {
      throw new SnsRejection(400, "message is older than the replay window of " + maxMessageAge);
    }
    if (timestamp.isAfter(now.plus(maxClockSkew))) {
      throw new SnsRejection(400, "message Timestamp is in the future");
    }
    return timestamp;
  }

  /** Until when a message with this Timestamp could still be accepted: how long its MessageId must be remembered. */
  Instant acceptableUntil(Instant timestamp) {
    return timestamp.plus(maxMessageAge).plus(maxClockSkew);
  }
}
