package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.util.Optional;

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
}
