package dev.smsgateway.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SPF, DKIM and DMARC results from the topmost {@code Authentication-Results} header (RFC 8601) written by a
 * trusted server (its authserv-id, the first token). Headers of other authserv-ids are ignored: anyone can write one.
 * With several results for one method, a pass wins (a message may carry several DKIM signatures).
 *
 * <p>Thread-safe (stateless).
 */
final class AuthenticationResults {

  private static final Pattern RESULT = Pattern.compile("(?:^|;)\\s*(spf|dkim|dmarc)\\s*=\\s*([a-z]+)",
      Pattern.CASE_INSENSITIVE);

  private AuthenticationResults() {}

  static Map<AuthCheck, AuthVerdict> verdicts(MimeMessage message, String authservId) {
    Map<AuthCheck, AuthVerdict> out = new EnumMap<>(AuthCheck.class);
    String[] headers;
    try {
      headers = message.getHeader("Authentication-Results");
    } catch (MessagingException | RuntimeException e) {
      return out;
    }
    if (headers == null) {
      return out;
    }
    for (String header : headers) {
      String h = header.replaceAll("\\(.*?\\)", " ").replaceAll("\\s+", " ").strip();
      int semi = h.indexOf(';');
      String id = (semi < 0 ? h : h.substring(0, semi)).strip().split(" ")[0];
      if (!id.equalsIgnoreCase(authservId)) {
        continue;
      }
      Matcher m = RESULT.matcher(semi < 0 ? "" : h.substring(semi));
      while (m.find()) {
        AuthCheck check = AuthCheck.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        AuthVerdict verdict = AuthVerdict.parse(m.group(2));
        out.merge(check, verdict, (a, b) -> a == AuthVerdict.PASS || b == AuthVerdict.PASS ? AuthVerdict.PASS : a);
      }
      return out; // the topmost header of the trusted server only
    }
    return out;
  }
}
