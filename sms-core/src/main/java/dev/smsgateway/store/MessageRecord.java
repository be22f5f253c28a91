package dev.smsgateway.store;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What we know of one outbound message: who it went to, through which provider, in how many parts, and the status of
 * each part as delivery reports came in.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId our id
 * @param provider the provider name; null until a provider took it
 * @param to the recipient
 * @param from the sender; null for the provider's default
 * @param parts the number of parts (at least 1)
 * @param status the merged status (see {@link #merge})
 * @param partStatuses the status of each part, in order
 * @param errorCode the provider's last error code, if any
 * @param createdAt when the gateway accepted the message
 * @param updatedAt when the record last changed
 */
public record MessageRecord(String messageId, String provider, PhoneNumber to, Originator from, int parts,
    DeliveryStatus status, List<DeliveryStatus> partStatuses, String errorCode, Instant createdAt, Instant updatedAt) {

  /** Checks and copies. */
  public MessageRecord {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    partStatuses = List.copyOf(partStatuses);
    if (parts < 1 || partStatuses.size() != parts) {
      throw new IllegalArgumentException("parts=" + parts + " but " + partStatuses.size() + " part statuses");
    }
  }

  /** A new record with every part {@link DeliveryStatus#ACCEPTED}. */
  public static MessageRecord accepted(String messageId, String provider, PhoneNumber to, Originator from, int parts,
      Instant now) {
    return new MessageRecord(messageId, provider, to, from, parts, DeliveryStatus.ACCEPTED,
        java.util.Collections.nCopies(parts, DeliveryStatus.ACCEPTED), null, now, now);
  }

  /**
   * Applies a report for one part ({@code part} 0-based) or for all parts ({@code part == -1}). Each part only moves
   * forward ({@link DeliveryStatus#canMoveTo}); the merged status is then: the first failure-type final status if
   * every part is final and any failed, {@code DELIVERED} if all parts were delivered, otherwise the least advanced
   * part's status. Returns this record unchanged if nothing moved.
   */
  public MessageRecord merge(int part, DeliveryStatus reported, String reportedErrorCode, Instant now) {
    DeliveryStatus[] next = partStatuses.toArray(new DeliveryStatus[0]);
    boolean changed = false;
    for (int i = 0; i < next.length; i++) {
      if ((part == -1 || part == i) && next[i].canMoveTo(reported)) {
        next[i] = reported;
        changed = true;
      }
    }
    if (!changed) {
      return this;
    }
    DeliveryStatus merged = mergedStatus(next);
    if (!status.canMoveTo(merged) && merged != status) {
      merged = status;
    }
    return new MessageRecord(messageId, provider, to, from, parts, merged, List.of(next),
        reportedErrorCode != null ? reportedErrorCode : errorCode, createdAt, now);
  }

  static DeliveryStatus mergedStatus(DeliveryStatus[] statuses) {
    boolean allFinal = true;
    boolean allDelivered = true;
    DeliveryStatus failure = null;
    DeliveryStatus least = null;
    for (DeliveryStatus s : statuses) {
      allFinal &= s.isFinal();
      allDelivered &= s == DeliveryStatus.DELIVERED;
      if (s.isFinal() && s != DeliveryStatus.DELIVERED && failure == null) {
        failure = s;
      }
      if (least == null || s.rank() < least.rank()) {
        least = s;
      }
    }
    if (allDelivered) {
      return DeliveryStatus.DELIVERED;
    }
    if (allFinal) {
      return failure;
    }
    return least;
  }

  /** A copy with {@code provider} set. */
  public MessageRecord withProvider(String newProvider, Instant now) {
    return new MessageRecord(messageId, newProvider, to, from, parts, status, partStatuses, errorCode, createdAt, now);
  }

  @Override
  public String toString() {
    return "MessageRecord{messageId=" + messageId + ", provider=" + provider + ", to=" + to + ", parts=" + parts
        + ", status=" + status + ", partStatuses=" + partStatuses + ", errorCode=" + errorCode + "}";
  }
}
