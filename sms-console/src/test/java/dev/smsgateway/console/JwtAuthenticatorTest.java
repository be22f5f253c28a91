package dev.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.test.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * JWT verification against a JWKS served over HTTP on loopback, the way an identity provider publishes it: accepted
 * RS256 and ES256 tokens, and a refusal per broken rule.
 */
class JwtAuthenticatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "https://idp.example.com/pool-1";
  private static final String AUDIENCE = "console-client";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final AtomicReference<String> jwks = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer server;
  // Generated once for the class: RSA key generation is the slowest part of these tests.
  private static final KeyPair RSA_KEYS = generate("RSA");
  private static final KeyPair EC_KEYS = generate("EC");
  private static final KeyPair RSA_NEXT = generate("RSA");
  private final KeyPair rsa = RSA_KEYS;
  private final KeyPair ec = EC_KEYS;
  private JwtAuthenticator auth;

  @BeforeEach
  void start() throws Exception {
    jwks.set(jwks(Map.of("rsa-1", rsa, "ec-1", ec)));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/jwks.json", x -> {
      fetches.incrementAndGet();
      byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    auth = JwtAuthenticator.builder()
        .jwksUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json"))
        .issuer(ISSUER).audience(AUDIENCE).clock(clock).build();
  }

  private static KeyPair generate(String type) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(type);
      if (type.equals("RSA")) {
        g.initialize(2048);
      } else {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      }
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static String jwks(Map<String, KeyPair> keys) {
    ObjectNode root = JSON.createObjectNode();
    var list = root.putArray("keys");
    keys.forEach((kid, pair) -> {
      ObjectNode k = list.addObject();
      k.put("kid", kid);
      k.put("use", "sig");
      if (pair.getPublic() instanceof RSAPublicKey p) {
        k.put("kty", "RSA");
        k.put("alg", "RS256");
        k.put("n", B64.encodeToString(unsigned(p.getModulus().toByteArray())));
        k.put("e", B64.encodeToString(unsigned(p.getPublicExponent().toByteArray())));
      } else if (pair.getPublic() instanceof ECPublicKey p) {
        k.put("kty", "EC");
        k.put("crv", "P-256");
        k.put("x", B64.encodeToString(fixed(p.getW().getAffineX().toByteArray())));
        k.put("y", B64.encodeToString(fixed(p.getW().getAffineY().toByteArray())));
      }
    });
    return root.toString();
  }

  private static byte[] unsigned(byte[] b) {
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] fixed(byte[] b) {
    byte[] u = unsigned(b);
    byte[] out = new byte[32];
    System.arraycopy(u, 0, out, 32 - u.length, u.length);
    return out;
  }

  private ObjectNode claims() {
    ObjectNode c = JSON.createObjectNode();
    c.put("iss", ISSUER);
    c.put("aud", AUDIENCE);
    c.put("sub", "alice");
    c.put("exp", clock.instant().plusSeconds(3600).getEpochSecond());
    c.put("iat", clock.instant().getEpochSecond());
    return c;
  }

  static String sign(String alg, String kid, ObjectNode claims, PrivateKey key) throws Exception {
    ObjectNode header = JSON.createObjectNode();
    header.put("alg", alg);
    header.put("typ", "JWT");
    if (kid != null) {
      header.put("kid", kid);
    }
    String input = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
    s.initSign(key);
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(s.sign());
  }

  private String rs256(Consumer<ObjectNode> change) throws Exception {
    ObjectNode c = claims();
    change.accept(c);
    return sign("RS256", "rsa-1", c, rsa.getPrivate());
  }

  @Test
  @DisplayName("RS256 and ES256 tokens from the JWKS are accepted; the agent and expiry come from the claims")
  void accepts() throws Exception {
    AgentIdentity a = auth.authenticate(rs256(c -> { })).orElseThrow();
    assertThat(a.agentId()).isEqualTo("alice");
    assertThat(a.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
    assertThat(auth.authenticate(sign("ES256", "ec-1", claims(), ec.getPrivate()))).isPresent();
    assertThat(auth.authenticate(rs256(c -> c.putArray("aud").add("other").add(AUDIENCE)))).isPresent();
    // Cognito access tokens: no aud, the client id in client_id; the agent in username.
    JwtAuthenticator cognito = JwtAuthenticator.builder().jwks(jwks::get).issuer(ISSUER).audience(AUDIENCE)
        .agentClaim("username").clock(clock).build();
    assertThat(cognito.authenticate(rs256(c -> {
      c.remove("aud");
      c.put("client_id", AUDIENCE);
      c.put("username", "bob");
    })).map(AgentIdentity::agentId)).contains("bob");
    assertThat(fetches.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("refused: expired, not yet valid, no exp, other issuer, other audience, no agent claim")
  void claimsRefused() throws Exception {
    assertThat(auth.authenticate(rs256(c -> c.put("exp", clock.instant().minusSeconds(61).getEpochSecond()))))
        .as("expired beyond the skew").isEmpty();
    assertThat(auth.authenticate(rs256(c -> c.put("exp", clock.instant().minusSeconds(30).getEpochSecond()))))
        .as("expired within the 60 s skew").isPresent();
    assertThat(auth.authenticate(rs256(c -> c.put("nbf", clock.instant().plusSeconds(120).getEpochSecond()))))
        .as("not yet valid").isEmpty();
    assertThat(auth.authenticate(rs256(c -> c.remove("exp")))).as("no exp").isEmpty();
    assertThat(auth.authenticate(rs256(c -> c.put("iss", "https://evil.example.com")))).as("issuer").isEmpty();
    assertThat(auth.authenticate(rs256(c -> c.put("aud", "another-client")))).as("audience").isEmpty();
    assertThat(auth.authenticate(rs256(c -> c.remove("sub")))).as("no agent claim").isEmpty();
    assertThat(auth.authenticate(rs256(c -> c.put("sub", 42)))).as("agent claim not a string").isEmpty();
    String token = rs256(c -> { });
    clock.advance(Duration.ofHours(2));
    assertThat(auth.authenticate(token)).as("expired as the clock moves").isEmpty();
  }

  @Test
  @DisplayName("refused: alg none, HS256 signed with the public key, a tampered payload, a key of the wrong type")
  void signaturesRefused() throws Exception {
    String good = rs256(c -> { });
    String[] parts = good.split("\\.");
    ObjectNode none = JSON.createObjectNode().put("alg", "none").put("kid", "rsa-1");
    assertThat(auth.authenticate(B64.encodeToString(none.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + parts[1] + ".")).as("alg none").isEmpty();
    ObjectNode hs = JSON.createObjectNode().put("alg", "HS256").put("kid", "rsa-1");
    String hsInput = B64.encodeToString(hs.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[1];
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
    assertThat(auth.authenticate(hsInput + "." + B64.encodeToString(mac.doFinal(hsInput.getBytes(
        StandardCharsets.US_ASCII))))).as("HS256 with the public key as secret").isEmpty();
    ObjectNode forged = claims().put("sub", "mallory");
    assertThat(auth.authenticate(parts[0] + "." + B64.encodeToString(forged.toString().getBytes(
        StandardCharsets.UTF_8)) + "." + parts[2])).as("payload changed after signing").isEmpty();
    assertThat(auth.authenticate(sign("ES256", "rsa-1", claims(), ec.getPrivate()))).as("ES256 on an RSA kid")
        .isEmpty();
    assertThat(auth.authenticate("not.a.jwt.at.all")).isEmpty();
    assertThat(auth.authenticate("%%%.%%%.%%%")).isEmpty();
    assertThat(auth.authenticate(sign("RS256", null, claims(), rsa.getPrivate()))).as("no kid").isEmpty();
  }

  @Test
  @DisplayName("an unknown kid refetches the JWKS once (rotation), then no more often than the minimum interval")
  void rotation() throws Exception {
    assertThat(auth.authenticate(rs256(c -> { }))).isPresent();
    KeyPair next = RSA_NEXT;
    jwks.set(jwks(Map.of("rsa-2", next)));
    clock.advance(Duration.ofMinutes(6));
    assertThat(auth.authenticate(sign("RS256", "rsa-2", claims(), next.getPrivate()))).as("rotated key").isPresent();
    assertThat(fetches.get()).isEqualTo(2);
    for (int i = 0; i < 5; i++) {
      assertThat(auth.authenticate(sign("RS256", "forged-" + i, claims(), next.getPrivate()))).isEmpty();
    }
    assertThat(fetches.get()).as("forged kids do not hammer the provider").isEqualTo(2);
    assertThat(auth.authenticate(rs256(c -> { }))).as("the old key left the set").isEmpty();
  }

  @Test
  @DisplayName("the builder refuses a missing issuer, audience or key source, and a plain-http JWKS off loopback")
  void builderChecks() {
    assertThatThrownBy(() -> JwtAuthenticator.builder().jwks(jwks::get).audience(AUDIENCE).build())
        .hasMessageContaining("issuer");
    assertThatThrownBy(() -> JwtAuthenticator.builder().jwks(jwks::get).issuer(ISSUER).build())
        .hasMessageContaining("audience");
    assertThatThrownBy(() -> JwtAuthenticator.builder().issuer(ISSUER).audience(AUDIENCE).build())
        .hasMessageContaining("jwksUri");
    assertThatThrownBy(() -> JwtAuthenticator.builder().jwksUri(URI.create("http://idp.example.com/jwks.json")))
        .hasMessageContaining("https");
    assertThatThrownBy(() -> StaticTokenAuthenticator.builder().token("short", "alice"))
        .hasMessageContaining("at least 16");
  }
}
