package dev.smsgateway.compliance;

import java.time.Instant;

/**
 * Deletes old conversations and message records for retention, in the store that keeps them. The audit trail's own
 * retention is {@link AuditLog#purgeBefore}.
 *
 * <p>Implementations are thread-safe.
 */
public interface RetentionStore {

  /** Deletes the conversations that ended before {@code cutoff}, with their transcripts; returns how many. */
  int purgeConversationsEndedBefore(Instant cutoff);

  /** Deletes the message records last updated before {@code cutoff}, with their provider-id links; returns how many. */
  int purgeMessagesUpdatedBefore(Instant cutoff);
}
