package dev.smsgateway.compliance;

import dev.smsgateway.PhoneNumber;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit trail. Entries are appended, never changed; they are ordered by {@link #sequence()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sequence the order of events (increasing within a process, and across restarts on a monotonic clock)
 * @param at when it happened
 * @param type what happened
 * @param customer the customer's number; null when the event concerns none (an export)
 * @param business the business number's {@link dev.smsgateway.Originator#key()}; may be null
 * @param conversationId the conversation; may be null
 * @param messageId the gateway's message id (sends, refusals, reports) or the provider's (inbound); may be null
 * @param outcome a short code of the result: the decision kind ({@code ToAgent}), the refusal ({@code OPTED_OUT}),
 *     the delivery status ({@code DELIVERED})
 * @param reason why, in words (never a message body)
 */
public record AuditEvent(long sequence, Instant at, Type type, PhoneNumber customer, String business,
    String conversationId, String messageId, String outcome, String reason) {

  /** What an audit event records. */
  public enum Type {
    /** An inbound message was routed (or answered by a keyword, or unrouted). */
    ROUTED,
    /** A send was refused: opt-out, consent, quiet hours, budget. */
    REFUSED,
    /** A send was held for quiet hours. */
    HELD,
    /** A send was accepted by the gateway. */
    ACCEPTED,
    /** A provider accepted a send. */
    SENT,
    /** A send failed after it was accepted. */
    FAILED,
    /** A delivery report arrived. */
    DELIVERY_REPORT,
    /** Consent was granted or withdrawn. */
    CONSENT,
    /** The trail was exported (with numbers in clear or not, and why). */
    EXPORTED,
    /** Records were purged by retention. */
    PURGED
  }

  /** Checks required fields. */
  public AuditEvent {
    Objects.requireNonNull(at, "at == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(outcome, "outcome == null");
  }

  /** A copy carrying {@code id} as its conversation id. */
  public AuditEvent withConversationId(String id) {
    return new AuditEvent(sequence, at, type, customer, business, id, messageId, outcome, reason);
  }

  @Override
  public String toString() {
    return "AuditEvent{#" + sequence + " " + type + " " + outcome + " " + customer + " at " + at + "}";
  }
}
