package dev.smsgateway.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fixed tokens, one per agent: for development, demos and tests, never for production (tokens do not expire and live
 * in configuration). Tokens are kept as SHA-256 digests and compared in constant time.
 *
 * <pre>{@code
 * AgentAuthenticator auth = StaticTokenAuthenticator.builder()
 *     .token("alice-dev-token-7f3a", "alice")
 *     .token("bob-dev-token-91c2", "bob")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class StaticTokenAuthenticator implements AgentAuthenticator {

  /** Shorter tokens are refused at build time: even a development token should not be guessable. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private final Map<String, String> agentsByDigest;

  private StaticTokenAuthenticator(Map<String, String> agentsByDigest) {
    this.agentsByDigest = Map.copyOf(agentsByDigest);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<AgentIdentity> authenticate(String bearerToken) {
    Objects.requireNonNull(bearerToken, "bearerToken == null");
    String digest = digest(bearerToken);
    for (Map.Entry<String, String> e : agentsByDigest.entrySet()) {
      if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.US_ASCII),
          digest.getBytes(StandardCharsets.US_ASCII))) {
        return Optional.of(new AgentIdentity(e.getValue(), null));
      }
    }
    return Optional.empty();
  }

  static String digest(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "StaticTokenAuthenticator{agents=" + agentsByDigest.size() + "}";
  }

  /** Builds a {@link StaticTokenAuthenticator}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> agents = new HashMap<>();

    private Builder() {}

    /**
     * Adds a token for an agent (an agent may have several).
     *
     * @throws IllegalArgumentException for a token shorter than {@value #MIN_TOKEN_LENGTH} characters or with
     *     whitespace, a blank agent id, or a token given twice
     */
    public Builder token(String token, String agentId) {
      Objects.requireNonNull(token, "token == null");
      Objects.requireNonNull(agentId, "agentId == null");
      if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("token for agent '" + agentId + "' must be at least " + MIN_TOKEN_LENGTH
            + " characters without whitespace");
      }
      if (agentId.isBlank()) {
        throw new IllegalArgumentException("agentId is blank");
      }
      if (agents.putIfAbsent(digest(token), agentId) != null) {
        throw new IllegalArgumentException("the token for agent '" + agentId + "' is already given to an agent");
      }
      return this;
    }

    /** The authenticator. */
    public StaticTokenAuthenticator build() {
      if (agents.isEmpty()) {
        throw new IllegalStateException("no tokens: add at least one with token(token, agentId)");
      }
      return new StaticTokenAuthenticator(agents);
    }
  }
}
