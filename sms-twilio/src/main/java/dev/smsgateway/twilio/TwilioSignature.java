package dev.smsgateway.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
 * comparison is constant-time ({@link #equalsStripped}, {@link MessageDigest#isEqual}).
 *
 * <p>The signed bytes are fed to a Mac kept per thread and key from a per-thread buffer, the parameters copied from the
 * body's own bytes where they carry no escape: the usual check allocates nothing.
 *
 * <p>Thread-safe (immutable, with per-thread scratch state).
 */
final class TwilioSignature {

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
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(n));
  }

  /** Whether {@code signature} signs this form request (parameters in any order, repeated names allowed). */
  boolean validForm(String url, List<Map.Entry<String, String>> params, String signature) {
    return validForm(url, FormFields.of(params), signature);
  }

  /** Whether {@code signature} signs this form request (parameters in any order, repeated names allowed). */
  boolean validForm(String url, FormFields params, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    Scratch s = scratch.get();
    return anyMatches(s, url, s.sortedParams(params), signature);
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
    boolean signatureOk = anyMatches(scratch.get(), url, 0, signature);
    return bodyOk & signatureOk;
  }

  /** The signature of {@code url} + sorted {@code params} with the first key; for tests and for signing clients. */
  String sign(String url, List<Map.Entry<String, String>> params) {
    Scratch s = scratch.get();
    int n = s.sortedParams(FormFields.of(params));
    return new String(s.expected(keys, 0, s.urlBytes(url), n), 0, ENCODED_LENGTH, StandardCharsets.US_ASCII);
  }

  /**
   * Whether any key signs the URL as given, or another variant of it, followed by the {@code suffixLength} bytes in
   * the thread's buffer. Stops at the first match: which variant or key matched is not secret (each comparison is
   * constant-time); the URL as given, which is what Twilio usually signs, is tried first, so the usual request costs
   * one HMAC and no variant is built.
   */
  private boolean anyMatches(Scratch s, String url, int suffixLength, String signature) {
    if (matches(s, s.urlBytes(url), suffixLength, signature)) {
      return true;
    }
    List<String> variants = urlVariants(url);
    for (int i = 1; i < variants.size(); i++) {
      if (matches(s, variants.get(i).getBytes(StandardCharsets.UTF_8), suffixLength, signature)) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(Scratch s, byte[] url, int suffixLength, String given) {
    for (int k = 0; k < keys.size(); k++) {
      if (equalsStripped(s.expected(keys, k, url, suffixLength), given)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code given}, without leading and trailing white space ({@link String#strip}), is the
   * {@value #ENCODED_LENGTH} ASCII characters of {@code expected}; in time independent of where they differ.
   */
  static boolean equalsStripped(byte[] expected, String given) {
    int from = 0;
    int to = given.length();
    while (from < to && Character.isWhitespace(given.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(given.charAt(to - 1))) {
      to--;
    }
    if (to - from != ENCODED_LENGTH) {
      return false; // the length of a signature is no secret
    }
    int diff = 0;
    for (int i = 0; i < ENCODED_LENGTH; i++) {
      diff |= given.charAt(from + i) ^ expected[i];
    }
    return diff == 0;
  }

  /** The Base64 of an HMAC-SHA1 (20 bytes): 28 characters. */
  static final int ENCODED_LENGTH = 28;

  /**
   * Per thread: one Mac per key, made and keyed on first use (Mac.getInstance looks the algorithm up in the providers,
   * several microseconds, and init derives the inner and outer pads; doFinal leaves a Mac keyed for the next message),
   * and the buffers a check needs, so that checking a request allocates nothing in the usual case.
   */
  private final ThreadLocal<Scratch> scratch;

  private static final class Scratch {
    private static final int KEEP_AT_MOST = 8 * 1024;

    final Mac[] macs;
    byte[] buffer = new byte[512];
    final byte[] digest = new byte[20];
    final byte[] encoded = new byte[ENCODED_LENGTH];
    int[] order = new int[32];
    String url;
    byte[] urlBytes;

    Scratch(int keys) {
      this.macs = new Mac[keys];
    }

    /** The UTF-8 of {@code url}, kept while the same URL comes again (one webhook URL per context, usually). */
    byte[] urlBytes(String u) {
      if (!u.equals(url)) {
        urlBytes = u.getBytes(StandardCharsets.UTF_8);
        url = u;
      }
      return urlBytes;
    }

    /** The parameters sorted by name, then value, each as name + value, into {@link #buffer}; returns the length. */
    int sortedParams(FormFields params) {
      int n = params.size();
      if (order.length < n) {
        order = new int[Math.max(n, order.length * 2)];
      }
      int[] sorted = order;
      for (int i = 0; i < n; i++) {
        sorted[i] = i;
      }
      if (n > 32) {
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
          boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> compare(params, a, b)); // stable, like the insertion sort below
        for (int i = 0; i < n; i++) {
          sorted[i] = boxed[i];
        }
      } else {
        // Twilio's few parameters, often already in order: an insertion sort, stable like Arrays.sort
        for (int i = 1; i < n; i++) {
          int e = sorted[i];
          int j = i - 1;
          while (j >= 0 && compare(params, sorted[j], e) > 0) {
            sorted[j + 1] = sorted[j];
            j--;
          }
          sorted[j + 1] = e;
        }
      }
      int bound = params.byteBound();
      if (buffer.length < bound) {
        buffer = new byte[Math.max(bound, buffer.length * 2)];
      } else if (buffer.length > KEEP_AT_MOST && bound <= KEEP_AT_MOST) {
        buffer = new byte[KEEP_AT_MOST]; // a large body's buffer is not kept for the small ones after it
      }
      int at = 0;
      for (int i = 0; i < n; i++) {
        at = params.copyBytes(sorted[i], buffer, at);
      }
      return at;
    }

    /** The Base64 of HMAC-SHA1(key k, url + the first {@code suffixLength} bytes of the buffer), in {@link #encoded}. */
    byte[] expected(List<SecretKeySpec> keys, int k, byte[] url, int suffixLength) {
      Mac mac = macs[k];
      try {
        if (mac == null) {
          mac = Mac.getInstance("HmacSHA1");
          mac.init(keys.get(k));
          macs[k] = mac;
        }
        mac.update(url);
        mac.update(buffer, 0, suffixLength);
        mac.doFinal(digest, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
      }
      Base64.getEncoder().encode(digest, encoded);
      return encoded;
    }
  }

  private static int compare(FormFields params, int a, int b) {
    int byName = params.name(a).compareTo(params.name(b));
    return byName != 0 ? byName : params.value(a).compareTo(params.value(b));
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
