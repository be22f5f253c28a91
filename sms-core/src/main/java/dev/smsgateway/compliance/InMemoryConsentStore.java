package dev.smsgateway.compliance;

import dev.smsgateway.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ConsentStore} in memory: lost on restart, for tests and single-process use.
 *
 * <p>Thread-safe.
 */
public final class InMemoryConsentStore implements ConsentStore {

  private final Map<PhoneNumber, List<ConsentRecord>> byCustomer = new ConcurrentHashMap<>();

  @Override
  public void record(ConsentRecord record) {
    Objects.requireNonNull(record, "record == null");
    byCustomer.compute(record.customer(), (k, list) -> {
      // copy on write: readers take the list as it is, without a lock
      if (list != null && list.contains(record)) {
        return list;
      }
      List<ConsentRecord> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
      next.add(record);
      next.sort(java.util.Comparator.comparing(ConsentRecord::at));
      return List.copyOf(next);
    });
  }

  @Override
  public Optional<ConsentRecord> latest(PhoneNumber customer, String scope, Purpose purpose) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(scope, "scope == null");
    Objects.requireNonNull(purpose, "purpose == null");
    ConsentRecord best = null;
    for (ConsentRecord r : history(customer)) {
      if (r.scope().equals(scope) && r.purpose() == purpose && (best == null || !r.at().isBefore(best.at()))) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  public List<ConsentRecord> history(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    return byCustomer.getOrDefault(customer, List.of());
  }

  @Override
  public String toString() {
    return "InMemoryConsentStore{customers=" + byCustomer.size() + "}";
  }
}
