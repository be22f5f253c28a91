package dev.smsgateway.connect.lambda;

import dev.smsgateway.routing.BusinessNumber;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.RoutingConfiguration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The routing configuration's business numbers by address, so that an endpoint Connect gives in E.164 (the usual
 * case) is found with one map lookup and no libphonenumber call; other spellings fall back to
 * {@link RoutingConfiguration#findNumber}.
 *
 * <p>Immutable and thread-safe.
 */
final class BusinessNumbers {

  /** A business number and the mapping it belongs to. */
  record Entry(Mapping mapping, BusinessNumber number) {}

  private final RoutingConfiguration config;
  private final Map<String, Entry> byAddress;

  BusinessNumbers(RoutingConfiguration config) {
    this.config = config;
    Map<String, Entry> map = new HashMap<>();
    for (Mapping mapping : config.mappings()) {
      for (BusinessNumber number : mapping.numbers()) {
        // the first mapping wins for a short code configured in two countries, as findNumber does
        map.putIfAbsent(number.number().address(), new Entry(mapping, number));
      }
    }
    this.byAddress = Map.copyOf(map);
  }

  Optional<Entry> find(String raw) {
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String address = raw.strip();
    Entry exact = byAddress.get(address);
    if (exact != null) {
      return Optional.of(exact);
    }
    return config.findNumber(address).flatMap(n -> config.mappingFor(n.number()).map(m -> new Entry(m, n)));
  }
}
