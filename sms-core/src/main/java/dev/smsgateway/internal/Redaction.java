package dev.smsgateway.internal;

import dev.smsgateway.PhoneNumbers;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials and whole phone numbers from text that came from outside our code (a driver's or an SDK's
 * exception message, a configured URL) before it reaches an exception message, a {@code toString()} or a log line.
 * {@link dev.smsgateway.SmsException} runs every message and cause through it.
 *
 * <p>What it removes, by shape rather than by value (the library never sees the secrets of an application's own
 * {@code DataSource} or AWS client):
 * <ul>
 *   <li>the user info of a URL: {@code jdbc:postgresql://app:pw@db/x}, {@code https://user:pw@host/hook};
 *   <li>{@code key=value} pairs whose key names a secret: {@code password=}, {@code ;PASSWORD=} (H2),
 *       {@code X-Amz-Security-Token=}, {@code X-Amz-Signature=}, {@code apiSecret=}, {@code authToken=} ...;
 *   <li>the same keys as JSON fields ({@code "password":"..."});
 *   <li>header values an HTTP peer may echo: {@code x-amz-security-token:} (AWS quotes its canonical request, session
 *       token included, when a signature does not match), {@code X-Twilio-Signature:}, {@code Cookie:}, and
 *       {@code Basic} / {@code Bearer} credentials;
 *   <li>E.164 numbers ({@code +14155550100}), masked with {@link PhoneNumbers#mask}.
 * </ul>
 * Identifiers that are not secret (an SMPP system_id, a Twilio account SID, an AWS access key id) are left alone.
 *
 * <p>Internal: not part of the API, may change in any release. Stateless and thread-safe.
 */
public final class Redaction {

  /** What replaces a removed secret. */
  public static final String MASK = "****";

  private static final String SECRET_WORDS =
      "password|passwd|pwd|secret|token|credential|signature|apikey|api_key|api-key|accesskey|access_key|sessionkey";

  // scheme://userinfo@ : everything between "//" and "@" that is not a path, query or fragment.
  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/?#@\\s'\"<>]+@");
  // key=value where the key contains a secret word: ?password=x&, ;PASSWORD=x; (H2), X-Amz-Security-Token=x.
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)([a-z0-9_.\\-]*(?:" + SECRET_WORDS + ")[a-z0-9_.\\-]*\\s*=\\s*)([^&;,\\s'\"<>()\\[\\]{}]+)");
  // "password": "x" in JSON.
  private static final Pattern JSON_FIELD = Pattern.compile(
      "(?i)(\"[a-z0-9_.\\-]*(?:" + SECRET_WORDS + ")[a-z0-9_.\\-]*\"\\s*:\\s*\")([^\"]*)(\")");
  // A header an HTTP peer may echo; its value runs to the end of the token (AWS: "x-amz-security-token:IQoJ...").
  private static final Pattern HEADER = Pattern.compile(
      "(?i)\\b(x-amz-security-token|x-twilio-signature|proxy-authorization|set-cookie|cookie)(\\s*:\\s*)[^\\s'\",;]+");
  // HTTP Basic or Bearer credentials (base64 or a token: at least 8 characters with a digit or +/=).
  private static final Pattern AUTH_SCHEME = Pattern.compile(
      "\\b(Basic|Bearer|BASIC|BEARER|basic|bearer)\\s+(?=[A-Za-z0-9+/._~=\\-]*[0-9+/=])[A-Za-z0-9+/._~=\\-]{8,}");
  // An E.164 number, not part of a longer run of digits or a word.
  private static final Pattern E164 = Pattern.compile("(?<![\\w+*])\\+[1-9][0-9]{6,14}(?![0-9])");

  private static final int MAX_CAUSES = 32;

  private Redaction() {}

  /** {@code text} without credentials or whole phone numbers; null stays null. */
  public static String text(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
    s = KEY_VALUE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    s = JSON_FIELD.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
    s = HEADER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    s = AUTH_SCHEME.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
    s = E164.matcher(s).replaceAll(m -> Matcher.quoteReplacement(PhoneNumbers.mask(m.group())));
    return s;
  }

  /**
   * {@code cause} itself when no message in its cause chain needs redacting (the usual case, which keeps its type for
   * callers that inspect it); otherwise a copy of the chain down to the deepest such message, each link a
   * {@link RedactedException} with the redacted message and the original stack trace.
   */
  public static Throwable cause(Throwable cause) {
    if (cause == null) {
      return null;
    }
    List<Throwable> chain = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = cause; t != null && chain.size() < MAX_CAUSES && seen.put(t, Boolean.TRUE) == null;
        t = t.getCause()) {
      chain.add(t);
    }
    int deepest = -1;
    String[] redacted = new String[chain.size()];
    for (int i = 0; i < chain.size(); i++) {
      String message = chain.get(i).getMessage();
      redacted[i] = text(message);
      if (message != null && !message.equals(redacted[i])) {
        deepest = i;
      }
    }
    if (deepest < 0) {
      return cause;
    }
    Throwable below = deepest + 1 < chain.size() ? chain.get(deepest + 1) : null;
    for (int i = deepest; i >= 0; i--) {
      Throwable original = chain.get(i);
      below = new RedactedException(original.getClass().getName(), redacted[i], below, original.getStackTrace());
    }
    return below;
  }

  /**
   * Stands in for an exception whose message held a credential: its class name, its message with the credential
   * removed, and its stack trace. Immutable and thread-safe.
   */
  public static final class RedactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String originalClassName;

    RedactedException(String originalClassName, String message, Throwable cause, StackTraceElement[] stackTrace) {
      super(message == null ? originalClassName + " (redacted)" : originalClassName + " (redacted): " + message,
          cause);
      this.originalClassName = originalClassName;
      setStackTrace(stackTrace);
    }

    /** The class name of the exception this one stands in for. */
    public String originalClassName() {
      return originalClassName;
    }
  }
}
