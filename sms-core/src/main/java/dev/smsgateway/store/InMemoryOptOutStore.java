package dev.smsgateway.store;

import dev.smsgateway.PhoneNumber;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link OptOutStore} in memory, for one process: the latest record per customer by {@link OptOutRecord#at()},
 * the later write winning ties.
 *
 * <p>Thread-safe: each customer's record is replaced atomically.
 */
public final class InMemoryOptOutStore implements OptOutStore {

  private final Map<String, OptOutRecord> records = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryOptOutStore() {}

  @Override
  public void record(OptOutRecord record) {
    Objects.requireNonNull(record, "record == null");
    records.merge(record.customer().e164(), record,
        (current, next) -> next.at().isBefore(current.at()) ? current : next);
  }

  @Override
  public boolean isOptedOut(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    OptOutRecord r = records.get(customer.e164());
    return r != null && r.optedOut();
  }

  @Override
  public Optional<OptOutRecord> find(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    return Optional.ofNullable(records.get(customer.e164()));
  }

  @Override
  public String toString() {
    return "InMemoryOptOutStore{size=" + records.size() + "}";
  }
}
