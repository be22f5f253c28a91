package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers who originated a conversation with which customer, for a TTL. Keyed by (customer number, business
 * number {@link Originator#key()}); a newer record for the same key replaces the older one (the last agent to text a
 * customer gets the reply).
 *
 * <p>TTL is enforced on read with the store's {@link java.time.Clock}: an expired record is never returned, whether
 * or not it has been purged yet.
 *
 * <p>Implementations are thread-safe. A {@link #put} that returned is durable to the degree the implementation
 * promises (in memory: until the process ends).
 */
public interface OriginatorStore {

  /** Stores {@code record}, replacing any record for the same customer and business number. */
  void put(OriginatorRecord record);

  /** The live record for this customer and business number, if any. */
  Optional<OriginatorRecord> find(PhoneNumber customer, Originator business);

  /** Removes the record for this customer and business number; returns whether one was there. */
  boolean remove(PhoneNumber customer, Originator business);

  /** Deletes expired records now; returns how many. Stores also purge on their own schedule where they can. */
  int purgeExpired();

  // Calls made on the hot path of an agent's outbound message: stores that batch writes (group commit) override them
  // to take part in a shared transaction, or not to block the caller; the defaults do what they say with the calls
  // above.

  /**
   * {@link #put}, returning the live record it replaced: what {@link #find} returned just before. The default calls
   * {@link #find} then {@link #put}; stores override it to do both in one round trip or transaction.
   */
  default Optional<OriginatorRecord> replace(OriginatorRecord record) {
    Optional<OriginatorRecord> previous = find(record.customer(), record.business());
    put(record);
    return previous;
  }

  /**
   * {@link #replace}, without blocking the caller where the store can: the future completes with the live record the
   * new one replaced once the new one is stored (durable as {@link #put} promises), or fails with what {@code replace}
   * would have thrown. The default calls {@link #replace} on the calling thread and returns a completed future. Stores
   * may complete the future on a thread of their own: continue on an executor of yours, never block there.
   */
  default CompletableFuture<Optional<OriginatorRecord>> replaceAsync(OriginatorRecord record) {
    try {
      return CompletableFuture.completedFuture(replace(record));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * {@link #put}, without blocking the caller where the store can: the future completes once the record is stored
   * (durable as {@link #put} promises), or fails with what {@code put} would have thrown. The default runs
   * {@link #put} on the calling thread and returns a completed future. Stores may complete the future on a thread of
   * their own: continue on an executor of yours, never block there.
   */
  default CompletableFuture<Void> putAsync(OriginatorRecord record) {
    try {
      put(record);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
