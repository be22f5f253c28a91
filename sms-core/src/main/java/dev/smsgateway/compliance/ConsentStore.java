package dev.smsgateway.compliance;

import dev.smsgateway.PhoneNumber;
import java.util.List;
import java.util.Optional;

/**
 * Where consent records are kept: an append-only history per customer. The record in force for a (customer, scope,
 * purpose) is the one with the latest {@link ConsentRecord#at()}; for equal times the later write wins.
 * {@link #record} returns only once the record is stored.
 *
 * <p>Implementations are thread-safe.
 */
public interface ConsentStore {

  /** Appends a record (the same record twice is stored once). */
  void record(ConsentRecord record);

  /** The record in force for this customer, scope and purpose. */
  Optional<ConsentRecord> latest(PhoneNumber customer, String scope, Purpose purpose);

  /** Every record of the customer, oldest first. */
  List<ConsentRecord> history(PhoneNumber customer);
}
