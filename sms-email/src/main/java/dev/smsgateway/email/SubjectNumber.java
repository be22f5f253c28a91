package dev.smsgateway.email;

import java.util.regex.Pattern;

/**
 * Reads the customer's number from a subject. Removed first, repeatedly: reply and forward prefixes ({@code Re:},
 * {@code RE:}, {@code Fwd:}, {@code FW:}, {@code AW:}, {@code WG:}, {@code SV:}, {@code VS:}, {@code Antw:},
 * {@code R:}, {@code TR:}, with an optional count such as {@code Re[2]:}); then any {@code [...]} tags; then a
 * leading "SMS", "SMS to" or "SMS from" (with an optional colon). What remains is the number as the agent wrote it
 * ({@code +1 415 555 0123}, {@code (415) 555-0123}); the origination normalizes it with the mapping's country.
 *
 * <p>Thread-safe (stateless).
 */
final class SubjectNumber {

  private static final Pattern PREFIX = Pattern.compile(
      "^\\s*(re|fwd?|fw|aw|wg|sv|vs|antw|r|tr|rif)\\s*(\\[\\d{1,4}\\]|\\(\\d{1,4}\\))?\\s*[:\uFF1A]\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern TAG = Pattern.compile("\\[[^\\]]{0,200}\\]");
  private static final Pattern SMS = Pattern.compile("^\\s*sms(\\s+(to|from))?\\s*:?\\s*", Pattern.CASE_INSENSITIVE);

  private SubjectNumber() {}

  /** The number part of {@code subject}, stripped; empty when nothing is left. */
  static String parse(String subject) {
    String s = subject == null ? "" : subject;
    if (s.length() > 500) {
      s = s.substring(0, 500);
    }
    String before;
    do {
      before = s;
      s = PREFIX.matcher(s).replaceFirst("");
    } while (!s.equals(before));
    s = TAG.matcher(s).replaceAll(" ");
    s = SMS.matcher(s).replaceFirst("");
    return s.strip();
  }
}
