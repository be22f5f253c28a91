package dev.smsgateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The provider's acceptance of a message: our message id, the provider's ids (one per part for SMPP, one for HTTP
 * providers) and the number of parts billed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId our id for the message, the one {@link DeliveryReport}s are correlated to
 * @param provider the name of the provider that accepted it
 * @param providerMessageIds the provider's ids, in part order
 * @param parts the number of SMS parts
 * @param acceptedAt when the provider answered
 * @param details provider extras (price, status text); never secrets
 */
public record SendReceipt(String messageId, String provider, List<String> providerMessageIds, int parts,
    Instant acceptedAt, Map<String, String> details) {

  /** Copies the collections and checks required fields. */
  public SendReceipt {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(acceptedAt, "acceptedAt == null");
    providerMessageIds = List.copyOf(providerMessageIds);
    details = details == null ? Map.of() : Map.copyOf(details);
    if (parts < 1) {
      throw new IllegalArgumentException("parts < 1: " + parts);
    }
  }

  /** The first (for HTTP providers, the only) provider message id. */
  public String providerMessageId() {
    return providerMessageIds.isEmpty() ? null : providerMessageIds.get(0);
  }
}
