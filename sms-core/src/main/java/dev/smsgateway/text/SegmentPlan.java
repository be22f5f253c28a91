package dev.smsgateway.text;

import java.util.List;
import java.util.Objects;

/**
 * How a text goes on the wire: its encoding, its parts, and why. Made by {@link SmsEncoding#plan(String)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the text the plan is for (after transliteration, when it was asked for)
 * @param encoding GSM-7 when every character is in the GSM 03.38 tables, otherwise UCS-2
 * @param parts the text of each part, in order; never splits an escape sequence or a surrogate pair
 * @param units the length in encoding units: septets for GSM-7 (extension characters count 2), UTF-16 units for UCS-2
 * @param unitsPerPart the capacity of each part: 160 or 153 for GSM-7, 70 or 67 for UCS-2
 * @param ucs2Characters the distinct characters (as strings, so a surrogate pair stays whole) that forced UCS-2, in
 *     order of first appearance; empty for GSM-7
 * @param replacements what transliteration replaced; empty when it was off
 */
public record SegmentPlan(String text, Encoding encoding, List<String> parts, int units, int unitsPerPart,
    List<String> ucs2Characters, List<Replacement> replacements) {

  /**
   * One transliterated character. Immutable and thread-safe.
   *
   * @param index the index of the character in the original text
   * @param original the character that was replaced
   * @param replacement what replaced it (may be empty)
   */
  public record Replacement(int index, String original, String replacement) {}

  /** Copies the lists. */
  public SegmentPlan {
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(encoding, "encoding == null");
    parts = List.copyOf(parts);
    ucs2Characters = List.copyOf(ucs2Characters);
    replacements = List.copyOf(replacements);
  }

  /** The number of parts (at least 1; an empty text is one empty part). */
  public int partCount() {
    return parts.size();
  }

  /** Whether the message needs a concatenation header. */
  public boolean isMultipart() {
    return parts.size() > 1;
  }

  /** Shows sizes, never the text. */
  @Override
  public String toString() {
    return "SegmentPlan{encoding=" + encoding + ", parts=" + parts.size() + ", units=" + units + ", unitsPerPart="
        + unitsPerPart + ", ucs2Characters=" + ucs2Characters.size() + ", replacements=" + replacements.size() + "}";
  }
}
