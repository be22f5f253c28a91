package dev.smsgateway.email;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may text customers by email: maps a sender's address to an agent id of the {@code ConversationService}, and
 * back (to email customers' replies to the agent). {@link #allowList} is the default; an application with its own
 * directory (LDAP, a user table) implements this.
 *
 * <p>Implementations must be thread-safe and fast; they are called on the thread that handles the email.
 */
public interface EmailAgentResolver {

  /** The agent who sends from {@code address} (lower-case), or empty when the address may not send. */
  Optional<String> agentFor(String address);

  /** The address to email {@code agentId} at, or empty (then the agent's customers' replies are not emailed). */
  Optional<String> addressOf(String agentId);

  /**
   * A fixed allow-list: address to agent id. Addresses compare case-insensitively; the reverse lookup gives the
   * agent's first address in the map's iteration order (pass a {@code LinkedHashMap} when an agent has several).
   *
   * @throws IllegalArgumentException if an address or agent id is blank, or an address is listed twice in
   *     different case
   */
  static EmailAgentResolver allowList(Map<String, String> addressToAgent) {
    Objects.requireNonNull(addressToAgent, "addressToAgent == null");
    Map<String, String> agents = new HashMap<>();
    Map<String, String> addresses = new HashMap<>();
    addressToAgent.forEach((address, agent) -> {
      if (address == null || address.isBlank() || address.indexOf('@') < 1) {
        throw new IllegalArgumentException("allow-list address is not an email address: '" + address + "'");
      }
      if (agent == null || agent.isBlank()) {
        throw new IllegalArgumentException("allow-list agent id for " + EmailAddresses.mask(address) + " is blank");
      }
      if (agents.put(EmailAddresses.normalize(address), agent) != null) {
        throw new IllegalArgumentException("allow-list lists " + EmailAddresses.mask(address) + " twice");
      }
      addresses.putIfAbsent(agent, address.strip());
    });
    Map<String, String> byAddress = Map.copyOf(agents);
    Map<String, String> byAgent = Map.copyOf(addresses);
    return new EmailAgentResolver() {
      @Override
      public Optional<String> agentFor(String address) {
        return Optional.ofNullable(byAddress.get(EmailAddresses.normalize(address)));
      }

      @Override
      public Optional<String> addressOf(String agentId) {
        return Optional.ofNullable(byAgent.get(agentId));
      }

      @Override
      public String toString() {
        return "EmailAgentResolver.allowList(" + byAddress.size() + " addresses)";
      }
    };
  }
}
