package dev.smsgateway.twilio;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The small readings of a webhook request {@link TwilioWebhookHandler} makes on every call, written out so that they
 * build nothing per request: the three headers it needs in one walk, the media type, the SID syntax, and an inbound
 * message's attributes made immutable at once.
 *
 * <p>Thread-safe (stateless), except {@link Attributes}, one per request.
 */
final class WebhookRequests {

  private WebhookRequests() {}

  private static final String[] WANTED = {"Content-Length", "Content-Type", "X-Twilio-Signature"};

  /**
   * The first values of Content-Length, Content-Type and X-Twilio-Signature, in one walk over the headers (a lookup in
   * the JDK server's {@code Headers} builds a normalized copy of the name each time): for each, the value under that
   * exact name, else under the first name equal to it ignoring case; a name whose list is empty counts as absent.
   */
  static String[] headers(Map<String, List<String>> headers) {
    String[] exact = new String[WANTED.length];
    String[] loose = new String[WANTED.length];
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      String key = e.getKey();
      List<String> values = e.getValue();
      if (key == null || values == null || values.isEmpty()) {
        continue;
      }
      for (int j = 0; j < WANTED.length; j++) {
        if (key.equals(WANTED[j])) {
          exact[j] = values.get(0);
        } else if (loose[j] == null && key.equalsIgnoreCase(WANTED[j])) {
          loose[j] = values.get(0);
        }
      }
    }
    for (int j = 0; j < WANTED.length; j++) {
      if (exact[j] == null) {
        exact[j] = loose[j];
      }
    }
    return exact;
  }

  /** Whether {@code v} is a Twilio SID: two capital letters and 32 hex digits (SM..., MM... for messages). */
  static boolean isSid(String v) {
    if (v.length() != 34 || v.charAt(0) < 'A' || v.charAt(0) > 'Z' || v.charAt(1) < 'A' || v.charAt(1) > 'Z') {
      return false;
    }
    for (int i = 2; i < 34; i++) {
      char c = v.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a Content-Type header's media type (before any {@code ;}, white space stripped, case ignored) is
   * {@code expected}, given in lower case.
   */
  static boolean isMediaType(String contentType, String expected) {
    if (contentType == null) {
      return false;
    }
    int to = contentType.indexOf(';');
    if (to < 0) {
      to = contentType.length();
    }
    int from = 0;
    while (from < to && Character.isWhitespace(contentType.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(contentType.charAt(to - 1))) {
      to--;
    }
    if (to - from != expected.length()) {
      return false;
    }
    for (int i = 0; i < expected.length(); i++) {
      char c = contentType.charAt(from + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** An inbound message's attributes, made immutable at once (no map to copy into another). */
  static final class Attributes {
    private final String[] keysAndValues;
    private int n;

    Attributes(int most) {
      keysAndValues = new String[2 * most];
    }

    void putIfPresent(String k, String v) {
      if (v != null && !v.isBlank()) {
        keysAndValues[n++] = k;
        keysAndValues[n++] = v;
      }
    }

    Map<String, String> toMap() {
      String[] a = keysAndValues;
      return switch (n / 2) {
        case 0 -> Map.of();
        case 1 -> Map.of(a[0], a[1]);
        case 2 -> Map.of(a[0], a[1], a[2], a[3]);
        case 3 -> Map.of(a[0], a[1], a[2], a[3], a[4], a[5]);
        case 4 -> Map.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
        default -> {
          Map<String, String> m = new HashMap<>();
          for (int i = 0; i < n; i += 2) {
            m.put(a[i], a[i + 1]);
          }
          yield Map.copyOf(m);
        }
      };
    }
  }
}
