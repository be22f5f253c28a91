package dev.smsgateway.console;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated agent: the id the {@link dev.smsgateway.routing.ConversationService} knows them by, and when the
 * credential that proved it stops being valid.
 *
 * <p>Immutable and thread-safe.
 *
 * @param agentId the agent id (as registered with the conversation service)
 * @param expiresAt when the credential expires (a JWT's {@code exp}); null when it does not
 */
public record AgentIdentity(String agentId, Instant expiresAt) {

  /** Checks the agent id. */
  public AgentIdentity {
    Objects.requireNonNull(agentId, "agentId == null");
    if (agentId.isBlank()) {
      throw new IllegalArgumentException("agentId is blank");
    }
  }

  /** {@link #expiresAt()} as an optional. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }
}
