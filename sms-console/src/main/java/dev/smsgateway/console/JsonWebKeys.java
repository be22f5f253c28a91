package dev.smsgateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON Web Key Set (RFC 7517) read into JDK public keys: RSA keys (for RS256) and P-256 EC keys (for ES256), by
 * {@code kid}. Keys of other types, curves or uses ({@code use} other than {@code sig}) are skipped, as RFC 7517
 * section 5 allows for keys a reader does not understand.
 *
 * <p>Immutable and thread-safe.
 */
final class JsonWebKeys {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, PublicKey> keys;

  private JsonWebKeys(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  static JsonWebKeys parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the JWKS is not JSON: " + e.getClass().getSimpleName());
    }
    JsonNode list = root == null ? null : root.get("keys");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("the JWKS has no \"keys\" array");
    }
    Map<String, PublicKey> keys = new HashMap<>();
    for (JsonNode k : list) {
      String kid = k.path("kid").asText(null);
      String use = k.path("use").asText("sig");
      if (kid == null || !"sig".equals(use)) {
        continue;
      }
      try {
        switch (k.path("kty").asText("")) {
          case "RSA" -> keys.put(kid, KeyFactory.getInstance("RSA").generatePublic(
              new RSAPublicKeySpec(unsigned(k, "n"), unsigned(k, "e"))));
          case "EC" -> {
            if ("P-256".equals(k.path("crv").asText(""))) {
              AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
              p.init(new ECGenParameterSpec("secp256r1"));
              ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
              keys.put(kid, KeyFactory.getInstance("EC").generatePublic(
                  new ECPublicKeySpec(new ECPoint(unsigned(k, "x"), unsigned(k, "y")), spec)));
            }
          }
          default -> { }
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // A malformed key cannot verify anything; the others still can.
        continue;
      }
    }
    return new JsonWebKeys(keys);
  }

  private static BigInteger unsigned(JsonNode key, String member) {
    String v = key.path(member).asText(null);
    if (v == null) {
      throw new IllegalArgumentException("missing " + member);
    }
    return new BigInteger(1, Base64.getUrlDecoder().decode(v));
  }

  PublicKey key(String kid) {
    return keys.get(kid);
  }

  int size() {
    return keys.size();
  }
}
