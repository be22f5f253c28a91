package dev.smsgateway.console;

import java.util.Optional;

/**
 * Tells who a bearer token belongs to: the console's one question about identity. {@link JwtAuthenticator} verifies
 * JSON Web Tokens from an identity provider (Amazon Cognito, Okta, Microsoft Entra ID) against its published keys;
 * {@link StaticTokenAuthenticator} maps fixed tokens to agents, for development.
 *
 * <p>Implementations are called on request threads, concurrently: they must be thread-safe, must not log the token,
 * and should answer from memory (cache keys, not tokens).
 */
@FunctionalInterface
public interface AgentAuthenticator {

  /**
   * The agent a token identifies.
   *
   * @param bearerToken the token, as sent after {@code Bearer } (never null, never blank)
   * @return the agent, or empty when the token is not valid (unknown, expired, badly signed, for another audience)
   */
  Optional<AgentIdentity> authenticate(String bearerToken);
}
