package dev.smsgateway.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: after a sign-in with a bearer token, an HttpOnly, SameSite=Strict cookie identifies the agent, and
 * a CSRF token (returned once, in the sign-in answer, kept by the page in memory) must accompany every request that
 * changes something. Sessions live in this instance's memory until the credential's expiry or the session lifetime,
 * whichever comes first; they are keyed by a digest of the cookie value.
 *
 * <p>Thread-safe.
 */
final class Sessions {

  static final String COOKIE = "sms_console_session";
  private static final SecureRandom RANDOM = new SecureRandom();

  record Session(String agentId, String csrfToken, Instant expiresAt) {}

  private final Map<String, Session> byDigest = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration lifetime;
  private final int maxSessions;

  Sessions(Clock clock, Duration lifetime, int maxSessions) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.maxSessions = maxSessions;
  }

  /** Opens a session; returns {cookie value, session}. */
  Map.Entry<String, Session> open(AgentIdentity identity) {
    Instant now = clock.instant();
    purge(now);
    if (byDigest.size() >= maxSessions) {
      throw new Problem(503, "too_many_sessions", "the console holds its maximum of " + maxSessions
          + " sessions; try again later");
    }
    Instant end = now.plus(lifetime);
    if (identity.expiresAt() != null && identity.expiresAt().isBefore(end)) {
      end = identity.expiresAt();
    }
    String cookie = random();
    Session s = new Session(identity.agentId(), random(), end);
    byDigest.put(StaticTokenAuthenticator.digest(cookie), s);
    return Map.entry(cookie, s);
  }

  Optional<Session> find(String cookie) {
    if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
      return Optional.empty();
    }
    String key = StaticTokenAuthenticator.digest(cookie);
    Session s = byDigest.get(key);
    if (s == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(s.expiresAt())) {
      byDigest.remove(key);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  void close(String cookie) {
    if (cookie != null) {
      byDigest.remove(StaticTokenAuthenticator.digest(cookie));
    }
  }

  private void purge(Instant now) {
    byDigest.values().removeIf(s -> !now.isBefore(s.expiresAt()));
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
