package dev.smsgateway.routing;

import dev.smsgateway.SmsConfigurationException;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that every mapping names a provider the gateway has, so that a misspelt provider fails when the service is
 * built or bound to its gateway rather than on the first message of that mapping.
 */
final class ProviderNames {

  private ProviderNames() {}

  /** @throws SmsConfigurationException naming the first mapping whose provider is not among {@code known} */
  static void check(RoutingConfiguration configuration, Collection<String> known) {
    if (known == null) {
      return;
    }
    Set<String> names = new TreeSet<>(known);
    for (Mapping m : configuration.mappings()) {
      if (!names.contains(m.provider())) {
        throw new SmsConfigurationException("mappings[" + m.code() + "].provider names no provider of the gateway: '"
            + m.provider() + "' (the gateway's providers: " + String.join(", ", names) + ")");
      }
    }
  }
}
