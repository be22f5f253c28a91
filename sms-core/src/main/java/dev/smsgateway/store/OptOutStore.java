package dev.smsgateway.store;

import dev.smsgateway.PhoneNumber;
import java.util.Optional;

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
}
