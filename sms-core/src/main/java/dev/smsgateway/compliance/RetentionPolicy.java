package dev.smsgateway.compliance;

import dev.smsgateway.SmsValidationException;
import java.time.Duration;
import java.util.Objects;

/**
 * How long transcripts (with their conversations), message records and audit events are kept; null keeps them for
 * ever.
 *
 * <p>Immutable and thread-safe.
 *
 * @param transcripts after a conversation ended; null to keep
 * @param messages after a message record's last update; null to keep
 * @param auditEvents after the event; null to keep
 */
public record RetentionPolicy(Duration transcripts, Duration messages, Duration auditEvents) {

  /** Checks that each period is positive. */
  public RetentionPolicy {
    check(transcripts, "retention.transcripts");
    check(messages, "retention.messages");
    check(auditEvents, "retention.auditEvents");
  }

  private static void check(Duration d, String field) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new SmsValidationException(field, "must be positive: " + d);
    }
  }

  /** What one application of the policy removed. */
  public record Purged(int conversations, int messages, int auditEvents) {
    @Override
    public String toString() {
      return conversations + " conversations, " + messages + " message records, " + auditEvents + " audit events";
    }
  }

  static Purged none() {
    return new Purged(0, 0, 0);
  }

  @Override
  public String toString() {
    return "RetentionPolicy{transcripts=" + Objects.toString(transcripts, "kept") + ", messages="
        + Objects.toString(messages, "kept") + ", auditEvents=" + Objects.toString(auditEvents, "kept") + "}";
  }
}
