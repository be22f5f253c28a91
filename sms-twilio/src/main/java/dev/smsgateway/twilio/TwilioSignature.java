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
    int n = keys.size();
    this.macs = ThreadLocal.withInitial(() -> new Mac[n]);
  }

  /** Whether {@code signature} signs this form request (parameters in any order, repeated names allowed). */
  boolean validForm(String url, List<Map.Entry<String, String>> params, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    return anyMatches(url, sortedParams(params).getBytes(StandardCharsets.UTF_8), signature);
  }

  /** The parameters sorted by name, then value, each as name + value. */
  private static String sortedParams(List<Map.Entry<String, String>> params) {
    @SuppressWarnings("unchecked")
    Map.Entry<String, String>[] sorted = params.toArray(new Map.Entry[0]);
    if (sorted.length > 32) {
      java.util.Arrays.sort(sorted, BY_NAME_THEN_VALUE);
    } else {
      // Twilio's few parameters, often already in order: an insertion sort, stable like Arrays.sort, no comparator
      for (int i = 1; i < sorted.length; i++) {
        Map.Entry<String, String> e = sorted[i];
        int j = i - 1;
        while (j >= 0 && compare(sorted[j], e) > 0) {
          sorted[j + 1] = sorted[j];
          j--;
        }
        sorted[j + 1] = e;
      }
    }
    StringBuilder data = new StringBuilder(256);
    for (Map.Entry<String, String> p : sorted) {
      data.append(p.getKey()).append(p.getValue());
    }
    return data.toString();
  }

  private static int compare(Map.Entry<String, String> a, Map.Entry<String, String> b) {
    int byName = a.getKey().compareTo(b.getKey());
    return byName != 0 ? byName : a.getValue().compareTo(b.getValue());
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
    boolean signatureOk = anyMatches(url, new byte[0], signature);
    return bodyOk & signatureOk;
  }

  /** The signature of {@code url} + sorted {@code params} with the first key; for tests and for signing clients. */
  String sign(String url, List<Map.Entry<String, String>> params) {
    Mac mac = mac(0);
    mac.update(url.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(mac.doFinal(sortedParams(params).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Whether any key signs the URL as given, or another variant of it, followed by {@code suffix}. Stops at the first
   * match: which variant or key matched is not secret (each comparison is constant-time); the URL as given, which is
   * what Twilio usually signs, is tried first, so the usual request costs one HMAC and no variant is built.
   */
  private boolean anyMatches(String url, byte[] suffix, String signature) {
    byte[] given = signature.strip().getBytes(StandardCharsets.UTF_8);
    if (matches(url, suffix, given)) {
      return true;
    }
    List<String> variants = urlVariants(url);
    for (int i = 1; i < variants.size(); i++) {
      if (matches(variants.get(i), suffix, given)) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(String url, byte[] suffix, byte[] given) {
    byte[] urlBytes = url.getBytes(StandardCharsets.UTF_8);
    for (int k = 0; k < keys.size(); k++) {
      Mac mac = mac(k);
      mac.update(urlBytes);
      if (MessageDigest.isEqual(Base64.getEncoder().encode(mac.doFinal(suffix)), given)) {
        return true;
      }
    }
    return false;
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

  /**
   * Per thread, one Mac per key, made and keyed on first use: Mac.getInstance looks the algorithm up in the providers
   * (several microseconds) and init derives the inner and outer pads; doFinal leaves a Mac keyed for the next message.
   */
  private final ThreadLocal<Mac[]> macs;

  private Mac mac(int key) {
    Mac[] mine = macs.get();
    Mac mac = mine[key];
    if (mac == null) {
      try {
        mac = Mac.getInstance("HmacSHA1");
        mac.init(keys.get(key));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
      }
      mine[key] = mac;
    }
    return mac;
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
