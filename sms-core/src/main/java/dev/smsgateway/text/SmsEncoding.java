package dev.smsgateway.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers, in one call, "how many parts, which encoding, and which characters forced UCS-2" for a text, and splits
 * it into parts that never cut a GSM escape sequence or a UTF-16 surrogate pair.
 *
 * <pre>{@code
 * SegmentPlan plan = SmsEncoding.plan("Hi 👋");
 * plan.encoding();        // UCS2
 * plan.ucs2Characters();  // ["👋"]
 * plan.partCount();       // 1
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class SmsEncoding {

  // Look-alikes people paste from word processors, and what GSM-7 has instead. Off unless asked for.
  private static final Map<Character, String> LOOK_ALIKES = Map.ofEntries(
      Map.entry('\u2018', "'"), Map.entry('\u2019', "'"), Map.entry('\u201A', "'"), Map.entry('\u201B', "'"),
      Map.entry('\u2032', "'"), Map.entry('\u00B4', "'"), Map.entry('\u0060', "'"),
      Map.entry('\u201C', "\""), Map.entry('\u201D', "\""), Map.entry('\u201E', "\""), Map.entry('\u201F', "\""),
      Map.entry('\u2033', "\""), Map.entry('\u00AB', "\""), Map.entry('\u00BB', "\""),
      Map.entry('\u2010', "-"), Map.entry('\u2011', "-"), Map.entry('\u2012', "-"), Map.entry('\u2013', "-"),
      Map.entry('\u2014', "-"), Map.entry('\u2015', "-"), Map.entry('\u2212', "-"),
      Map.entry('\u2026', "..."), Map.entry('\u2022', "-"),
      Map.entry('\u00A0', " "), Map.entry('\u2002', " "), Map.entry('\u2003', " "), Map.entry('\u2009', " "),
      Map.entry('\u200A', " "), Map.entry('\u202F', " "), Map.entry('\u205F', " "), Map.entry('\u3000', " "),
      Map.entry('\u200B', ""), Map.entry('\uFEFF', ""), Map.entry('\t', " "));

  private SmsEncoding() {}

  /** Plans {@code text} as it is, without transliteration. */
  public static SegmentPlan plan(String text) {
    return plan(text, false);
  }

  /**
   * Plans {@code text}.
   *
   * @param transliterate replace look-alike characters (smart quotes, dashes, ellipsis, non-breaking and other
   *     spaces) with their GSM-7 equivalents; each replacement is reported in {@link SegmentPlan#replacements()}.
   *     Characters with no GSM-7 equivalent still force UCS-2.
   */
  public static SegmentPlan plan(String text, boolean transliterate) {
    Objects.requireNonNull(text, "text == null");
    List<SegmentPlan.Replacement> replacements = List.of();
    if (transliterate) {
      replacements = new ArrayList<>();
      text = transliterate(text, replacements);
    }
    // One pass counts the septets and finds where 153-septet parts would start; a text of up to 160 is one part.
    int multipart = Encoding.GSM7.multipartLimit();
    int[] cuts = new int[Gsm7.cutsCapacity(text.length(), multipart)];
    int septets = Gsm7.countAndCut(text, multipart, cuts);
    if (septets >= 0) {
      if (septets <= Encoding.GSM7.singleLimit()) {
        return new SegmentPlan(text, Encoding.GSM7, List.of(text), septets, Encoding.GSM7.singleLimit(), List.of(),
            replacements);
      }
      return new SegmentPlan(text, Encoding.GSM7, List.of(parts(text, cuts)), septets, multipart, List.of(),
          replacements);
    }
    int units = text.length();
    int perPart = units <= Encoding.UCS2.singleLimit() ? Encoding.UCS2.singleLimit() : Encoding.UCS2.multipartLimit();
    return new SegmentPlan(text, Encoding.UCS2, split(text, Encoding.UCS2, perPart), units, perPart,
        nonGsmCharacters(text), replacements);
  }

  /**
   * Splits {@code text} into parts of at most {@code unitsPerPart} units of {@code encoding}, never cutting a GSM
   * escape sequence or a surrogate pair. Providers use this directly for other part sizes (a 16-bit reference header
   * leaves 152 septets or 66 units).
   *
   * @throws IllegalArgumentException if {@code encoding} is GSM-7 and the text has a character outside GSM 03.38, or
   *     {@code unitsPerPart} is below 2
   */
  public static List<String> split(String text, Encoding encoding, int unitsPerPart) {
    if (unitsPerPart < 2) {
      throw new IllegalArgumentException("unitsPerPart < 2: " + unitsPerPart);
    }
    if (encoding == Encoding.GSM7) {
      int[] cuts = new int[Gsm7.cutsCapacity(text.length(), unitsPerPart)];
      int total = Gsm7.countAndCut(text, unitsPerPart, cuts);
      if (total < 0) {
        throw new IllegalArgumentException("text has characters outside the GSM 03.38 alphabet");
      }
      List<String> parts = new ArrayList<>(cuts[0] + 1);
      if (total <= unitsPerPart) {
        parts.add(text);
      } else {
        Collections.addAll(parts, parts(text, cuts));
      }
      return parts;
    }
    int n = text.length();
    List<String> parts = new ArrayList<>(n / unitsPerPart + 1);
    if (n <= unitsPerPart) {
      parts.add(text);
      return parts;
    }
    int start = 0;
    while (start < n) {
      int end = Math.min(n, start + unitsPerPart);
      if (end < n && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
        end--;
      }
      parts.add(text.substring(start, end));
      start = end;
    }
    return parts;
  }

  /** The parts of {@code text} cut where {@link Gsm7#countAndCut} said. */
  private static String[] parts(String text, int[] cuts) {
    int count = cuts[0];
    String[] parts = new String[count + 1];
    int start = 0;
    for (int k = 0; k < count; k++) {
      int end = cuts[k + 1];
      parts[k] = text.substring(start, end);
      start = end;
    }
    parts[count] = text.substring(start);
    return parts;
  }

  private static List<String> nonGsmCharacters(String text) {
    Set<String> found = new LinkedHashSet<>();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (len == 2 || Gsm7.septets(cp) == 0) {
        found.add(text.substring(i, i + len));
      }
      i += len;
    }
    return new ArrayList<>(found);
  }

  private static String transliterate(String text, List<SegmentPlan.Replacement> out) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = Gsm7.septets(c) == 0 ? LOOK_ALIKES.get(c) : null;
      if (replacement != null) {
        if (sb == null) {
          sb = new StringBuilder(text.length());
          sb.append(text, 0, i);
        }
        out.add(new SegmentPlan.Replacement(i, String.valueOf(c), replacement));
        sb.append(replacement);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? text : sb.toString();
  }
}
