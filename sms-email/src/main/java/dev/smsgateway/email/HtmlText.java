package dev.smsgateway.email;

import java.util.Locale;
import java.util.Map;

/**
 * Turns an HTML email body into plain text, leaving out what mail clients put there besides what the sender typed:
 * quoted replies ({@code <blockquote>}, Gmail's {@code gmail_quote}, Thunderbird's {@code moz-cite-prefix}, Apple
 * Mail's {@code type="cite"}), Gmail's {@code gmail_signature}, and everything from Outlook's reply markers
 * ({@code id="appendonsend"}, {@code id="divRplyFwdMsg"}, {@code id="stopSpelling"}) on. Block elements and
 * {@code <br>} become line breaks, list items start with "- ", other whitespace collapses as a browser would, and
 * character references are decoded. {@code <head>}, {@code <style>}, {@code <script>} and comments are dropped.
 *
 * <p>A small scanner, not a DOM: it never fails, whatever the input, and runs in linear time.
 *
 * <p>Thread-safe (stateless).
 */
final class HtmlText {

  private static final Map<String, String> ENTITIES = Map.ofEntries(
      Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
      Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("ndash", "\u2013"), Map.entry("mdash", "\u2014"),
      Map.entry("hellip", "\u2026"), Map.entry("rsquo", "\u2019"), Map.entry("lsquo", "\u2018"),
      Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"), Map.entry("euro", "\u20AC"),
      Map.entry("pound", "\u00A3"), Map.entry("copy", "\u00A9"), Map.entry("reg", "\u00AE"),
      Map.entry("eacute", "\u00E9"), Map.entry("egrave", "\u00E8"), Map.entry("agrave", "\u00E0"),
      Map.entry("uuml", "\u00FC"), Map.entry("ouml", "\u00F6"), Map.entry("auml", "\u00E4"),
      Map.entry("szlig", "\u00DF"), Map.entry("ccedil", "\u00E7"), Map.entry("ntilde", "\u00F1"));

  private static final java.util.Set<String> BLOCK = java.util.Set.of("p", "div", "tr", "table", "ul", "ol", "h1",
      "h2", "h3", "h4", "h5", "h6", "pre", "section", "article", "header", "footer", "center", "dl", "dt", "dd");
  private static final java.util.Set<String> DROP_CONTENT = java.util.Set.of("head", "style", "script", "title");

  private HtmlText() {}

  static String toText(String html) {
    StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 16));
    int n = html.length();
    int i = 0;
    String skipping = null; // a tag name whose content is skipped up to its matching close tag
    int skipDepth = 0;
    boolean pendingSpace = false;
    while (i < n) {
      char c = html.charAt(i);
      if (c == '<') {
        if (html.startsWith("<!--", i)) {
          int end = html.indexOf("-->", i + 4);
          i = end < 0 ? n : end + 3;
          continue;
        }
        int end = tagEnd(html, i + 1);
        String tag = html.substring(i + 1, end < 0 ? n : end);
        i = end < 0 ? n : end + 1;
        boolean closing = tag.startsWith("/");
        String name = tagName(closing ? tag.substring(1) : tag);
        if (name.isEmpty()) {
          continue;
        }
        if (skipping != null) {
          if (name.equals(skipping)) {
            skipDepth += closing ? -1 : (tag.endsWith("/") ? 0 : 1);
            if (skipDepth == 0) {
              skipping = null;
            }
          }
          continue;
        }
        if (closing) {
          if (BLOCK.contains(name) || name.equals("li")) {
            newline(out);
          }
          continue;
        }
        String lower = tag.toLowerCase(Locale.ROOT);
        if (cutsRest(lower)) {
          break;
        }
        if (DROP_CONTENT.contains(name) || isQuoteOrSignature(name, lower)) {
          if (!tag.endsWith("/")) {
            skipping = name;
            skipDepth = 1;
          }
          continue;
        }
        if (name.equals("br")) {
          out.append('\n');
          pendingSpace = false;
        } else if (name.equals("li")) {
          newline(out);
          out.append("- ");
          pendingSpace = false;
        } else if (BLOCK.contains(name) || name.equals("hr")) {
          newline(out);
          pendingSpace = false;
        } else if (name.equals("td") || name.equals("th")) {
          pendingSpace = true;
        }
        continue;
      }
      if (skipping != null) {
        i++;
        continue;
      }
      if (c == '&') {
        int semi = html.indexOf(';', i + 1);
        if (semi > i + 1 && semi - i <= 12) {
          String decoded = entity(html.substring(i + 1, semi));
          if (decoded != null) {
            if (pendingSpace) {
              space(out);
              pendingSpace = false;
            }
            out.append(decoded);
            i = semi + 1;
            continue;
          }
        }
      }
      if (Character.isWhitespace(c)) {
        pendingSpace = true;
        i++;
        continue;
      }
      if (pendingSpace) {
        space(out);
        pendingSpace = false;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** Outlook writes its reply header and the quoted message after one of these; nothing after it is the sender's. */
  private static boolean cutsRest(String lowerTag) {
    return lowerTag.contains("id=\"appendonsend\"") || lowerTag.contains("id=\"divrplyfwdmsg\"")
        || lowerTag.contains("id=\"stopspelling\"") || lowerTag.contains("id=appendonsend")
        || lowerTag.contains("id=divrplyfwdmsg");
  }

  private static boolean isQuoteOrSignature(String name, String lowerTag) {
    if (name.equals("blockquote")) {
      return true;
    }
    return (name.equals("div") || name.equals("span"))
        && (lowerTag.contains("gmail_quote") || lowerTag.contains("gmail_signature")
            || lowerTag.contains("moz-cite-prefix") || lowerTag.contains("moz-signature")
            || lowerTag.contains("type=\"cite\""));
  }

  private static int tagEnd(String html, int from) {
    char quote = 0;
    for (int j = from; j < html.length(); j++) {
      char c = html.charAt(j);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return j;
      }
    }
    return -1;
  }

  private static String tagName(String tag) {
    int j = 0;
    while (j < tag.length() && (Character.isLetterOrDigit(tag.charAt(j)) || tag.charAt(j) == ':')) {
      j++;
    }
    return tag.substring(0, j).toLowerCase(Locale.ROOT);
  }

  private static String entity(String name) {
    if (name.startsWith("#")) {
      try {
        int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
            ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
        if (cp == 0xA0) {
          return " ";
        }
        return Character.isValidCodePoint(cp) && !Character.isISOControl(cp) && (cp < 0xD800 || cp > 0xDFFF)
            ? new String(Character.toChars(cp)) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return ENTITIES.get(name);
  }

  private static void newline(StringBuilder out) {
    trimTrailingSpaces(out);
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
  }

  private static void space(StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n' && out.charAt(out.length() - 1) != ' ') {
      out.append(' ');
    }
  }

  private static void trimTrailingSpaces(StringBuilder out) {
    while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
      out.setLength(out.length() - 1);
    }
  }
}
