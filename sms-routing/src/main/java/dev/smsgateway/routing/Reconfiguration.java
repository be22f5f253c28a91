package dev.smsgateway.routing;

import dev.smsgateway.SmsConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Whether a {@link RoutingConfiguration} can serve a {@link ConversationService} as a whole (checked before it is
 * built with one, and before it replaces the one in force), and what a replacement changes, for the log.
 */
final class Reconfiguration {

  private Reconfiguration() {}

  /**
   * @throws SmsConfigurationException saying why {@code configuration} cannot serve: a contact-flow mapping without a
   *     {@link ContactFlowDelivery}, or a mapping whose provider is not among {@code providerNames} (when known)
   */
  static void check(RoutingConfiguration configuration, ContactFlowDelivery contactFlows,
      Collection<String> providerNames) {
    if (contactFlows == null) {
      for (Mapping m : configuration.mappings()) {
        if (m.delivery() == Delivery.CONTACT_FLOW) {
          throw new SmsConfigurationException("mapping " + m.code()
              + " delivers to contact flows: give the ConversationService a ContactFlowDelivery");
        }
      }
    }
    ProviderNames.check(configuration, providerNames);
  }

  /** The mappings added, removed and changed, by code. */
  static String describe(RoutingConfiguration before, RoutingConfiguration after) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Mapping m : after.mappings()) {
      before.mapping(m.code()).ifPresentOrElse(old -> {
        if (!old.equals(m)) {
          changed.add(m.code());
        }
      }, () -> added.add(m.code()));
    }
    for (Mapping m : before.mappings()) {
      if (after.mapping(m.code()).isEmpty()) {
        removed.add(m.code());
      }
    }
    return "mappings added " + added + ", changed " + changed + ", removed " + removed
        + (before.providerKeywordSettings().equals(after.providerKeywordSettings()) ? "" : ", provider keyword settings changed");
  }
}
