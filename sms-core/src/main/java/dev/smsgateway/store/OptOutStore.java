package dev.smsgateway.store;

import dev.smsgateway.PhoneNumber;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which customers opted out. Opt-out is global across providers and business numbers: a STOP recorded anywhere
 * blocks sends everywhere.
 *
 * <p>The latest record by {@link OptOutRecord#at()} wins; for equal times the later write wins. {@link #record}
 * returns only once the record is stored, so a confirmation is sent only for a persisted opt-out.
 *
 * <p>Implementations are thread-safe.
 */
public interface OptOutStore {

  /** Stores an opt-out or opt-in, unless a newer record for the customer is already there. */
  void record(OptOutRecord record);

  /** Whether the customer's latest record is an opt-out. */
  boolean isOptedOut(PhoneNumber customer);

  /** The customer's latest record. */
  Optional<OptOutRecord> find(PhoneNumber customer);

  /**
   * {@link #isOptedOut}, without blocking the caller where the store can: the future completes with what
   * {@code isOptedOut} would have answered at some instant after this call (a record committed before the call is
   * always seen), or fails with what it would have thrown. The default calls {@link #isOptedOut} on the calling thread
   * and returns a completed future; stores that share one query among concurrent callers override it. Stores may
   * complete the future on a thread of their own: continue on an executor of yours, never block there.
   */
  default CompletableFuture<Boolean> isOptedOutAsync(PhoneNumber customer) {
    try {
      return CompletableFuture.completedFuture(isOptedOut(customer));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
