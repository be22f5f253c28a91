package dev.smsgateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies JSON Web Tokens (RFC 7519) signed with RS256 or ES256 (RFC 7518 section 3) against the identity provider's
 * JSON Web Key Set, with the JDK's own crypto: what Amazon Cognito, Okta and Microsoft Entra ID issue.
 *
 * <pre>{@code
 * AgentAuthenticator auth = JwtAuthenticator.builder()
 *     .jwksUri(URI.create("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json"))
 *     .issuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123")
 *     .audience("7h1s1sacl1ent1d")            // Cognito access tokens carry it as client_id, ID tokens as aud
 *     .agentClaim("username")                 // default: sub
 *     .build();
 * }</pre>
 *
 * <p>A token is accepted when: it has three base64url parts; its header's {@code alg} is RS256 or ES256 (never
 * {@code none} or an HMAC algorithm, whatever the token says) and its {@code kid} names a key of the matching type;
 * the signature verifies; {@code iss} equals the issuer; {@code aud} (a string or an array) or {@code client_id}
 * contains the audience; {@code exp} is present and not past, and {@code nbf}, when present, not in the future (both
 * with {@link Builder#clockSkew} of leeway); and the agent claim is a non-blank string. Anything else is refused
 * (empty), with the reason logged at DEBUG, never the token.
 *
 * <p>Keys: fetched from the JWKS URI at the first token and kept; a token whose {@code kid} is unknown triggers one
 * refetch (key rotation), at most once per {@link Builder#minRefetchInterval} so that forged tokens cannot make this
 * class hammer the provider.
 *
 * <p>Thread-safe.
 */
public final class JwtAuthenticator implements AgentAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final Supplier<String> jwks;
  private final String issuer;
  private final String audience;
  private final String agentClaim;
  private final Clock clock;
  private final Duration skew;
  private final Duration minRefetch;
  private volatile JsonWebKeys keys;
  private volatile Instant lastFetch;

  private JwtAuthenticator(Builder b) {
    this.jwks = b.jwks;
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.agentClaim = b.agentClaim;
    this.clock = b.clock;
    this.skew = b.skew;
    this.minRefetch = b.minRefetch;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<AgentIdentity> authenticate(String token) {
    Objects.requireNonNull(token, "bearerToken == null");
    try {
      return Optional.of(verify(token));
    } catch (Refused e) {
      log.debug("bearer token refused: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private AgentIdentity verify(String token) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new Refused("longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new Refused("not a signed JWT (" + parts.length + " parts)");
    }
    JsonNode header = json(parts[0], "header");
    JsonNode claims = json(parts[1], "claims");
    String alg = header.path("alg").asText("");
    String kid = header.path("kid").asText(null);
    if (!alg.equals("RS256") && !alg.equals("ES256")) {
      throw new Refused("alg '" + abbreviate(alg) + "' is not RS256 or ES256");
    }
    if (kid == null) {
      throw new Refused("no kid in the header");
    }
    PublicKey key = key(kid);
    byte[] signature = decode(parts[2], "signature");
    boolean ok;
    try {
      Signature verifier;
      if (alg.equals("RS256")) {
        if (!(key instanceof RSAPublicKey)) {
          throw new Refused("kid '" + abbreviate(kid) + "' is not an RSA key");
        }
        verifier = Signature.getInstance("SHA256withRSA");
      } else {
        if (!(key instanceof ECPublicKey) || signature.length != 64) {
          throw new Refused("kid '" + abbreviate(kid) + "' is not a P-256 key or the signature is not 64 bytes");
        }
        // JWS carries R || S (RFC 7518 section 3.4), which is the JDK's P1363 format.
        verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
      }
      verifier.initVerify(key);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      ok = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new Refused("signature check failed: " + e.getClass().getSimpleName());
    }
    if (!ok) {
      throw new Refused("bad signature");
    }
    Instant now = clock.instant();
    if (!issuer.equals(claims.path("iss").asText(null))) {
      throw new Refused("iss is not the configured issuer");
    }
    if (!hasAudience(claims)) {
      throw new Refused("aud / client_id does not contain the configured audience");
    }
    JsonNode exp = claims.get("exp");
    if (exp == null || !exp.isNumber()) {
      throw new Refused("no numeric exp");
    }
    Instant expiresAt = Instant.ofEpochSecond(exp.asLong());
    if (!now.isBefore(expiresAt.plus(skew))) {
      throw new Refused("expired at " + expiresAt);
    }
    JsonNode nbf = claims.get("nbf");
    if (nbf != null && (!nbf.isNumber() || Instant.ofEpochSecond(nbf.asLong()).isAfter(now.plus(skew)))) {
      throw new Refused("not valid before " + nbf.asText());
    }
    JsonNode agent = claims.get(agentClaim);
    if (agent == null || !agent.isTextual() || agent.asText().isBlank()) {
      throw new Refused("claim '" + agentClaim + "' is missing or not a string");
    }
    return new AgentIdentity(agent.asText(), expiresAt);
  }

  private boolean hasAudience(JsonNode claims) {
    JsonNode aud = claims.get("aud");
    if (aud != null && aud.isTextual() && aud.asText().equals(audience)) {
      return true;
    }
    if (aud != null && aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isTextual() && a.asText().equals(audience)) {
          return true;
        }
      }
    }
    JsonNode clientId = claims.get("client_id");
    return clientId != null && clientId.isTextual() && clientId.asText().equals(audience);
  }

  private PublicKey key(String kid) {
    JsonWebKeys k = keys;
    if (k == null) {
      k = refetch(true);
    }
    PublicKey key = k.key(kid);
    if (key == null) {
      key = refetch(false).key(kid);
    }
    if (key == null) {
      throw new Refused("kid '" + abbreviate(kid) + "' is not in the JWKS");
    }
    return key;
  }

  private synchronized JsonWebKeys refetch(boolean first) {
    Instant now = clock.instant();
    if (keys != null && (first || lastFetch != null && now.isBefore(lastFetch.plus(minRefetch)))) {
      return keys;
    }
    lastFetch = now;
    try {
      JsonWebKeys fetched = JsonWebKeys.parse(jwks.get());
      keys = fetched;
      log.info("JWKS loaded: {} signing keys", fetched.size());
      return fetched;
    } catch (RuntimeException e) {
      log.warn("could not load the JWKS: {}", e.getMessage());
      if (keys != null) {
        return keys;
      }
      throw new Refused("no JWKS: " + e.getMessage());
    }
  }

  private static JsonNode json(String part, String what) {
    try {
      JsonNode n = JSON.readTree(decode(part, what));
      if (n == null || !n.isObject()) {
        throw new Refused(what + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new Refused(what + " is not JSON");
    }
  }

  private static byte[] decode(String part, String what) {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new Refused(what + " is not base64url");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  @Override
  public String toString() {
    return "JwtAuthenticator{issuer=" + issuer + ", audience=" + audience + ", agentClaim=" + agentClaim + "}";
  }

  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Builds a {@link JwtAuthenticator}. Not thread-safe. */
  public static final class Builder {
    private Supplier<String> jwks;
    private String issuer;
    private String audience;
    private String agentClaim = "sub";
    private Clock clock = Clock.systemUTC();
    private Duration skew = Duration.ofSeconds(60);
    private Duration minRefetch = Duration.ofMinutes(5);
    private HttpClient http;

    private Builder() {}

    /** Where the identity provider publishes its keys (https; http only for loopback tests). */
    public Builder jwksUri(URI uri) {
      Objects.requireNonNull(uri, "jwksUri == null");
      String scheme = uri.getScheme();
      boolean loopback = uri.getHost() != null
          && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost") || uri.getHost().equals("[::1]"));
      if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
        throw new IllegalArgumentException("jwksUri must be https (http only on loopback): " + uri);
      }
      this.jwks = () -> fetch(uri);
      return this;
    }

    /** The key set itself, for keys that come from elsewhere (a file, a secret store); read at each refetch. */
    public Builder jwks(Supplier<String> jwksJson) {
      this.jwks = Objects.requireNonNull(jwksJson, "jwks == null");
      return this;
    }

    /** The HTTP client that fetches {@link #jwksUri}; default: a new one with a 5-second connect timeout. */
    public Builder httpClient(HttpClient client) {
      this.http = Objects.requireNonNull(client, "httpClient == null");
      return this;
    }

    /** The {@code iss} every token must carry. Required. */
    public Builder issuer(String issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer == null");
      return this;
    }

    /** The client id the tokens are for: in {@code aud}, or in {@code client_id} (Cognito access tokens). Required. */
    public Builder audience(String audience) {
      this.audience = Objects.requireNonNull(audience, "audience == null");
      return this;
    }

    /** The claim that holds the agent id; default {@code sub}. */
    public Builder agentClaim(String claim) {
      this.agentClaim = Objects.requireNonNull(claim, "agentClaim == null");
      return this;
    }

    /** The clock {@code exp} and {@code nbf} are checked with; default the system's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Leeway for clocks that differ; default 60 seconds, at most 5 minutes. */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "clockSkew == null");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("clockSkew must be 0-5 minutes: " + skew);
      }
      this.skew = skew;
      return this;
    }

    /** The shortest time between two fetches of the key set; default 5 minutes. */
    public Builder minRefetchInterval(Duration interval) {
      Objects.requireNonNull(interval, "minRefetchInterval == null");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("minRefetchInterval is negative: " + interval);
      }
      this.minRefetch = interval;
      return this;
    }

    /** The authenticator; checks that the key source, issuer and audience are set. */
    public JwtAuthenticator build() {
      if (jwks == null) {
        throw new IllegalStateException("jwksUri (or jwks) is required");
      }
      if (issuer == null || issuer.isBlank()) {
        throw new IllegalStateException("issuer is required");
      }
      if (audience == null || audience.isBlank()) {
        throw new IllegalStateException("audience is required");
      }
      if (agentClaim.isBlank()) {
        throw new IllegalStateException("agentClaim is blank");
      }
      return new JwtAuthenticator(this);
    }

    private String fetch(URI uri) {
      HttpClient client = http != null ? http
          : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("JWKS answered HTTP " + r.statusCode());
        }
        return r.body();
      } catch (IOException e) {
        throw new IllegalStateException("JWKS fetch failed: " + e.getClass().getSimpleName());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while fetching the JWKS");
      }
    }
  }
}
