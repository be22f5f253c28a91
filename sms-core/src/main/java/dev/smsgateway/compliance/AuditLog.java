package dev.smsgateway.compliance;

import dev.smsgateway.PhoneNumber;
import java.time.Instant;
import java.util.List;

/**
 * The append-only audit trail. {@link #append} returns once the event is stored; queries return events ordered by
 * {@link AuditEvent#sequence()}. Events are never changed; {@link #purgeBefore} removes old ones for retention.
 *
 * <p>Implementations are thread-safe.
 */
public interface AuditLog {

  /** Appends an event (the same sequence twice is stored once). */
  void append(AuditEvent event);

  /** The customer's events. */
  List<AuditEvent> forCustomer(PhoneNumber customer);

  /** The conversation's events. */
  List<AuditEvent> forConversation(String conversationId);

  /** The events of a message (its acceptance, send, reports, refusal). */
  List<AuditEvent> forMessage(String messageId);

  /** The events with {@code from <= at < to}. */
  List<AuditEvent> between(Instant from, Instant to);

  /** Removes the events with {@code at < cutoff}; returns how many. */
  int purgeBefore(Instant cutoff);
}
