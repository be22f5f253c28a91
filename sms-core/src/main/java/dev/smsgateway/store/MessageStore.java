package dev.smsgateway.store;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's memory of outbound messages and of what it has already seen: our id to provider ids and back,
 * idempotency keys, per-part delivery status, delivery reports that arrived before their send was acknowledged, and
 * de-duplication keys for inbound traffic, and counters (the spending budget's).
 *
 * <p>Implementations are thread-safe, and every compare-and-set here is atomic, also across gateway instances that
 * share a durable store.
 */
public interface MessageStore {

  /**
   * Claims {@code key} for {@code messageId} until {@code expiresAt}. Returns empty if this call claimed it (or it was
   * already claimed by the same message id), otherwise the message id that holds it. An expired claim can be taken.
   */
  Optional<String> claimIdempotencyKey(String key, String messageId, Instant expiresAt);

  /** Creates or replaces a message record. */
  void save(MessageRecord record);

  /** The record for our message id. */
  Optional<MessageRecord> find(String messageId);

  /**
   * Records that {@code provider} knows part {@code i} of {@code messageId} as {@code providerMessageIds.get(i)}.
   */
  void linkProviderIds(String messageId, String provider, List<String> providerMessageIds);

  /**
   * Records a message a provider took: creates or replaces {@code record} (as {@link #save}) and links its provider
   * ids (as {@link #linkProviderIds} with {@code linkProvider}; nothing is linked when {@code providerMessageIds} is
   * empty), in one write where the store can: the gateway's one write per sent message. Durable when it returns.
   * The default calls {@link #save} then {@link #linkProviderIds}.
   */
  default void recordSent(MessageRecord record, String linkProvider, List<String> providerMessageIds) {
    save(record);
    if (!providerMessageIds.isEmpty()) {
      linkProviderIds(record.messageId(), linkProvider, providerMessageIds);
    }
  }

  /**
   * {@link #recordSent} without blocking the calling thread (the gateway calls it on a provider's I/O thread): the
   * future completes once the write is durable, on a thread of the store's (never run blocking work there: continue
   * on an executor of your own). Stores that block override this to queue the write and commit it together with
   * concurrent ones (group commit). The default runs {@link #recordSent} on the calling thread and returns a completed
   * future (failed with what it threw).
   */
  default CompletableFuture<Void> recordSentAsync(MessageRecord record, String linkProvider,
      List<String> providerMessageIds) {
    try {
      recordSent(record, linkProvider, providerMessageIds);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Finds which message and part a provider id belongs to. */
  Optional<ProviderLink> findLink(String provider, String providerMessageId);

  /**
   * Atomically merges a report into the message's part statuses (see {@link MessageRecord#merge}) and returns the
   * record after the merge; empty if there is no such message.
   */
  Optional<MessageRecord> applyReport(String messageId, int part, DeliveryStatus status, String errorCode, Instant at);

  /**
   * {@link #applyReport}, also telling whether the merge changed the record: the gateway tells its listeners only
   * about reports that changed something. Empty if there is no such message. The default reads the record, applies
   * the report and compares; stores override it to read once.
   */
  default Optional<ReportMerge> mergeReport(String messageId, int part, DeliveryStatus status, String errorCode,
      Instant at) {
    Optional<MessageRecord> before = find(messageId);
    return applyReport(messageId, part, status, errorCode, at)
        .map(after -> new ReportMerge(after, before.isEmpty() || !after.equals(before.get())));
  }

  /**
   * {@link #mergeReport} without blocking the calling thread where the store can: the future completes with what
   * {@code mergeReport} would have answered once the merge is durable, or fails with what it would have thrown, on a
   * thread of the store's (continue on an executor of your own, never block there). The default calls
   * {@link #mergeReport} on the calling thread and returns a completed future.
   */
  default CompletableFuture<Optional<ReportMerge>> mergeReportAsync(String messageId, int part, DeliveryStatus status,
      String errorCode, Instant at) {
    try {
      return CompletableFuture.completedFuture(mergeReport(messageId, part, status, errorCode, at));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Parks a delivery report whose provider id is not linked yet (it overtook the send's response), until
   * {@code expiresAt}.
   */
  void park(DeliveryReport report, Instant expiresAt);

  /** Removes and returns the reports parked for this provider id, oldest first. */
  List<DeliveryReport> takeParked(String provider, String providerMessageId);

  /**
   * {@link #takeParked} without blocking the calling thread where the store can: the future completes with the
   * reports taken (each goes to one taker only, as with {@code takeParked}), or fails with what it would have thrown,
   * on a thread of the store's (continue on an executor of your own, never block there). The default calls
   * {@link #takeParked} on the calling thread and returns a completed future.
   */
  default CompletableFuture<List<DeliveryReport>> takeParkedAsync(String provider, String providerMessageId) {
    try {
      return CompletableFuture.completedFuture(takeParked(provider, providerMessageId));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Marks {@code key} as seen until {@code expiresAt}. Returns true only for the first caller (the one that should
   * process the event); false for every duplicate while the mark lives.
   */
  boolean markSeen(String key, Instant expiresAt);

  /** Forgets a {@link #markSeen} mark, so that a redelivery of an event that failed to process is processed. */
  void unmarkSeen(String key);

  /**
   * Atomically adds {@code delta} (may be negative) to the counter {@code key} and returns its total after the
   * addition; a counter that does not exist, or expired ({@code now >= expiresAt}), starts from 0. The counter then
   * lives until {@code expiresAt}. Concurrent additions, also from gateways sharing a durable store, are never lost.
   */
  long addToCounter(String key, long delta, Instant expiresAt);

  /** The counter's total; 0 when it does not exist or expired. */
  long counter(String key);

  /** Deletes expired claims, marks, parked reports and counters; returns how many. */
  int purgeExpired();
}
