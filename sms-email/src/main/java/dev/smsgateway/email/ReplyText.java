package dev.smsgateway.email;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps what the sender typed in a plain-text email body and drops what mail clients add, by these rules, applied
 * in order (documented in the module's guide):
 *
 * <ol>
 *   <li>Line ends become {@code \n}; no-break spaces become spaces.
 *   <li>Lines starting with {@code >} (quoted text) are dropped.
 *   <li>The text ends at the first line that starts a quoted reply or a signature: a signature separator
 *       ({@code "-- "} or {@code "--"}, RFC 3676 section 4.3); a line of 8 or more underscores (Outlook); an
 *       "-----Original Message-----" line (and its German and French forms); an attribution line such as
 *       "On Tue, 3 Mar 2026 at 10:00, Alice &lt;alice@example.com&gt; wrote:" (also wrapped over up to three lines,
 *       and "Am ... schrieb ...:", "Le ... a écrit :", "El ... escribió:"); a {@code From:} line followed within three
 *       lines by {@code Sent:} or {@code Date:} (Outlook's reply header); or a mobile signature ("Sent from my
 *       iPhone", "Get Outlook for iOS", "Sent from Mail for Windows", "Sent from Yahoo Mail").
 *   <li>Trailing spaces go, runs of blank lines become one, and the result is trimmed.
 * </ol>
 *
 * <p>Thread-safe (stateless).
 */
final class ReplyText {

  private static final Pattern SIGNATURE = Pattern.compile("--\\s?");
  private static final Pattern UNDERSCORES = Pattern.compile("_{8,}\\s*");
  private static final Pattern ORIGINAL = Pattern.compile(
      "\\s*-{2,}\\s*(original message|urspr\u00FCngliche nachricht|message d'origine|forwarded message)\\s*-{2,}\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTION = Pattern.compile(
      "(on\\s.{1,400}\\swrote:|am\\s.{1,400}\\sschrieb.{0,400}:|le\\s.{1,400}\\sa\\s\u00E9crit\\s?:"
          + "|el\\s.{1,400}\\sescribi\u00F3:)\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADER_FROM = Pattern.compile("\\*?(from|von|de)\\s?:\\*?\\s.*", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADER_NEXT = Pattern.compile("\\*?(sent|date|gesendet|envoy\u00E9|to|an|\u00E0)\\s?:\\*?\\s.*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern MOBILE = Pattern.compile(
      "(sent from my .{1,60}|get outlook for .{1,40}|sent from (mail|outlook) for .{1,40}|sent from yahoo mail.{0,60}"
          + "|von meinem .{1,40} gesendet)\\s*", Pattern.CASE_INSENSITIVE);

  private ReplyText() {}

  static String strip(String text) {
    String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').replace('\u00A0', ' ').split("\n", -1);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.startsWith(">")) {
        continue;
      }
      if (endsText(lines, i, line, trimmed)) {
        break;
      }
      kept.add(stripTrailing(line));
    }
    StringBuilder out = new StringBuilder();
    boolean blank = false;
    for (String line : kept) {
      if (line.isEmpty()) {
        blank = out.length() > 0;
        continue;
      }
      if (blank) {
        out.append('\n');
        blank = false;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(line);
    }
    return out.toString().strip();
  }

  private static boolean endsText(String[] lines, int i, String line, String trimmed) {
    if (SIGNATURE.matcher(line).matches() || UNDERSCORES.matcher(trimmed).matches()
        || ORIGINAL.matcher(trimmed).matches() || MOBILE.matcher(trimmed).matches()) {
      return true;
    }
    if (trimmed.length() > 1) {
      String joined = trimmed;
      for (int k = 0; k < 3 && i + k < lines.length; k++) {
        if (k > 0) {
          joined = joined + " " + lines[i + k].strip();
        }
        if (ATTRIBUTION.matcher(joined).matches()) {
          return true;
        }
      }
    }
    if (HEADER_FROM.matcher(trimmed).matches()) {
      for (int k = 1; k <= 3 && i + k < lines.length; k++) {
        if (HEADER_NEXT.matcher(lines[i + k].strip()).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  private static String stripTrailing(String line) {
    int end = line.length();
    while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(0, end);
  }
}
