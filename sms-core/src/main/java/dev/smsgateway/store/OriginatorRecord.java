package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * "Agent {@code agentId} texted {@code customer} from {@code business} at {@code createdAt}, saying
 * {@code outboundText}": kept until {@code expiresAt} so that the customer's reply goes back to that agent.
 *
 * <p>A record is live while {@code now < expiresAt}: at exactly {@code expiresAt} it has expired.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the number and omits the text.
 *
 * @param customer the customer's number
 * @param business our business number
 * @param agentId the originating agent
 * @param outboundText the text the agent sent (the "whisper" shown with the reply); may be null
 * @param messageId our id of the outbound message; may be null
 * @param createdAt when the agent sent it
 * @param expiresAt when the record stops routing replies
 */
public record OriginatorRecord(PhoneNumber customer, Originator business, String agentId, String outboundText,
    String messageId, Instant createdAt, Instant expiresAt) {

  /** Checks required fields and that it expires after it was created. */
  public OriginatorRecord {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException("expiresAt must be after createdAt");
    }
  }

  /** A record created at {@code now} that lives for {@code ttl}. */
  public static OriginatorRecord of(PhoneNumber customer, Originator business, String agentId, String outboundText,
      String messageId, Instant now, Duration ttl) {
    return new OriginatorRecord(customer, business, agentId, outboundText, messageId, now, now.plus(ttl));
  }

  /** Whether the record still routes replies at {@code now}. */
  public boolean isLiveAt(Instant now) {
    return now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "OriginatorRecord{customer=" + customer + ", business=" + business + ", agentId=" + agentId
        + ", messageId=" + messageId + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt + "}";
  }
}
