package dev.smsgateway.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature: {@code X-Twilio-Signature} is Base64(HMAC-SHA1(auth token, url + sorted form
 * parameters as name + value)). JSON bodies are not signed as parameters: the URL carries a {@code bodySHA256} query
 * parameter (hex SHA-256 of the raw body) and the signature covers the URL alone.
 *
 * <p>Twilio may have signed the URL with or without the port (https://www.twilio.com/docs/usage/security), so a
 * signature over the URL as given, without its port, or with the scheme's default port added, is accepted. Every
 * comparison is constant-time ({@link MessageDigest#isEqual}).
 *
 * <p>Immutable and thread-safe.
 */
final class TwilioSignature {

  private static final Comparator<Map.Entry<String, String>> BY_NAME_THEN_VALUE =
      Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue());

  private final List<SecretKeySpec> keys;

  /** @param authTokens the current auth token, then any secondary one still valid during a rotation */
  TwilioSignature(List<String> authTokens) {
    if (authTokens.isEmpty()) {
      throw new IllegalArgumentException("no auth token");
    }
    List<SecretKeySpec> k = new ArrayList<>();
    for (String token : authTokens) {
      k.add(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    }
    this.keys = List.copyOf(k);
  }

  /** Whether {@code signature} signs this form request (parameters in any order, repeated names allowed). */
  boolean validForm(String url, List<Map.Entry<String, String>> params, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    List<Map.Entry<String, String>> sorted = new ArrayList<>(params);
    sorted.sort(BY_NAME_THEN_VALUE);
    StringBuilder suffix = new StringBuilder();
    for (Map.Entry<String, String> p : sorted) {
      suffix.append(p.getKey()).append(p.getValue());
    }
    return anyMatches(url, suffix.toString(), signature);
  }

  /**
   * Whether {@code signature} signs this URL and the URL's {@code bodySHA256} parameter is the SHA-256 of
   * {@code body}. Both checks always run, so timing does not tell which one failed.
   */
  boolean validJson(String url, byte[] body, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    String claimed = queryParameter(url, "bodySHA256");
    if (claimed == null) {
      return false;
    }
    byte[] actual = HexFormat.of().formatHex(sha256(body)).getBytes(StandardCharsets.US_ASCII);
    boolean bodyOk = MessageDigest.isEqual(actual, claimed.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    boolean signatureOk = anyMatches(url, "", signature);
    return bodyOk & signatureOk;
  }

  /** The signature of {@code url} + sorted {@code params} with the first key; for tests and for signing clients. */
  String sign(String url, List<Map.Entry<String, String>> params) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>(params);
    sorted.sort(BY_NAME_THEN_VALUE);
    StringBuilder data = new StringBuilder(url);
    for (Map.Entry<String, String> p : sorted) {
      data.append(p.getKey()).append(p.getValue());
    }
    return Base64.getEncoder().encodeToString(hmac(keys.get(0), data.toString()));
  }

  private boolean anyMatches(String url, String suffix, String signature) {
    byte[] given = signature.strip().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (SecretKeySpec key : keys) {
      for (String candidate : urlVariants(url)) {
        byte[] expected = Base64.getEncoder().encode(hmac(key, candidate + suffix));
        match |= MessageDigest.isEqual(expected, given);
      }
    }
    return match;
  }

  /** The URL as given, then without its port or with the scheme's default port. */
  static List<String> urlVariants(String url) {
    int schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0) {
      return List.of(url);
    }
    String scheme = url.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
    int authorityStart = schemeEnd + 3;
    int authorityEnd = url.length();
    for (int i = authorityStart; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        authorityEnd = i;
        break;
      }
    }
    String authority = url.substring(authorityStart, authorityEnd);
    int hostStart = authority.lastIndexOf('@') + 1;
    int colon = authority.lastIndexOf(':');
    boolean hasPort = colon >= hostStart && colon > authority.lastIndexOf(']');
    String head = url.substring(0, authorityStart);
    String tail = url.substring(authorityEnd);
    if (hasPort) {
      return List.of(url, head + authority.substring(0, colon) + tail);
    }
    String defaultPort = switch (scheme) {
      case "https" -> "443";
      case "http" -> "80";
      default -> null;
    };
    return defaultPort == null ? List.of(url) : List.of(url, head + authority + ":" + defaultPort + tail);
  }

  /** The first value of a query parameter, percent-decoded; null if absent or malformed. */
  static String queryParameter(String url, String name) {
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    int hash = url.indexOf('#', q);
    String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
    try {
      for (Map.Entry<String, String> p : FormData.parse(query, 1000)) {
        if (p.getKey().equals(name)) {
          return p.getValue();
        }
      }
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    return null;
  }

  // Mac.getInstance looks the algorithm up in the providers on every call (several microseconds); one per thread
  private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA1");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
    }
  });

  private static byte[] hmac(SecretKeySpec key, String data) {
    try {
      Mac mac = HMAC_SHA1.get();
      mac.init(key);
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
    }
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "TwilioSignature{keys=" + keys.size() + "}";
  }
}
