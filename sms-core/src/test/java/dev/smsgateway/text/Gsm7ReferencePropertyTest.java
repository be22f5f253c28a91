package dev.smsgateway.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Gsm7#encode}, {@link Gsm7#countSeptets}, {@link SmsEncoding#plan} and {@link SmsEncoding#split} against a
 * plain reference written here from 3GPP TS 23.038 (a lookup per table, one character at a time, parts packed greedily),
 * over random texts dense in extension characters and texts built so that an escape pair falls on a part boundary
 * (152, 153 and 160 septets). Fixed seed, so a failure reproduces.
 */
class Gsm7ReferencePropertyTest {

  private static final long SEED = 0x6_5E7L;

  // 3GPP TS 23.038 6.2.1, code 0x00..0x7F; 0x1B (the escape) is not a character, marked by null below.
  private static final String BASIC_TABLE = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u0000ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String EXTENSION_TABLE = "\f^{}\\[~]|€";
  private static final int[] EXTENSION_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};
  // Code of each character in the basic and the extension table, -1 if absent (indexed by char, so no boxing).
  private static final int[] BASIC = new int[0x10000];
  private static final int[] EXTENSION = new int[0x10000];
  private static final List<Character> BASIC_CHARS = new ArrayList<>();
  private static final List<Character> EXTENSION_CHARS = new ArrayList<>();
  // Characters with no septet, some next to ones that have one in the encoder's lookup (the table ends at U+03FF).
  private static final char[] FOREIGN = {'\u001b', '\u00A0', 'õ', 'ж', '\u03FF', '\u0400', '\u20AB', '\u20AD',
      '\uD83D', '\uDC4B', '\uFFFF', '`', '\t'};

  static {
    Arrays.fill(BASIC, -1);
    Arrays.fill(EXTENSION, -1);
    for (int code = 0; code < 128; code++) {
      if (code != 0x1B) {
        BASIC[BASIC_TABLE.charAt(code)] = code;
        BASIC_CHARS.add(BASIC_TABLE.charAt(code));
      }
    }
    for (int i = 0; i < EXTENSION_TABLE.length(); i++) {
      EXTENSION[EXTENSION_TABLE.charAt(i)] = EXTENSION_CODES[i];
      EXTENSION_CHARS.add(EXTENSION_TABLE.charAt(i));
    }
  }

  @Test
  @DisplayName("encode, count, plan and split equal the plain reference on 10,000 random texts")
  void randomTexts() {
    Random random = new Random(SEED);
    int[] straddles = new int[1];
    int foreign = 0;
    int multipart = 0;
    for (int i = 0; i < 10_000; i++) {
      String text = i % 2 == 0 ? randomText(random) : boundaryText(random);
      String context = "text #" + i + " (seed " + SEED + ")";
      int count = referenceCount(text);
      if (count < 0) {
        foreign++;
      } else if (count > 160) {
        multipart++;
      }
      check(text, context, random, straddles);
    }
    // The generators must really produce what this test is about.
    assertThat(straddles[0]).as("escape pairs that would straddle a 152/153 boundary").isGreaterThan(5_000);
    assertThat(foreign).isGreaterThan(300);
    assertThat(multipart).isGreaterThan(4_000);
  }

  @Test
  @DisplayName("the reference itself: table sizes and a few hand-checked encodings")
  void referenceIsSound() {
    assertThat(Arrays.stream(BASIC).filter(code -> code >= 0).count()).isEqualTo(127);
    assertThat(Arrays.stream(EXTENSION).filter(code -> code >= 0).count()).isEqualTo(10);
    assertThat(referenceEncode("A€{")).containsExactly(0x41, 0x1B, 0x65, 0x1B, 0x28);
    assertThat(referenceSplit("a".repeat(152) + "€b", 153)).containsExactly("a".repeat(152), "€b");
    assertThat(referenceSplit("a".repeat(151) + "€b", 153)).containsExactly("a".repeat(151) + "€", "b");
    assertThatThrownBy(() -> referenceEncode("aж")).hasMessage(notGsm('ж', 1));
  }

  private static void check(String text, String context, Random random, int[] straddles) {
    int count = referenceCount(text);
    same(Gsm7.countSeptets(text), count, context, "countSeptets");
    same(Gsm7.canEncode(text), count >= 0, context, "canEncode");
    SegmentPlan plan = SmsEncoding.plan(text);
    if (count < 0) {
      int bad = firstForeign(text);
      String message = notGsm(text.charAt(bad), bad);
      assertThatThrownBy(() -> Gsm7.encode(text)).as(context).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(message);
      assertThatThrownBy(() -> Gsm7.encode(new StringBuilder(text))).as(context).hasMessage(message);
      same(plan.encoding(), Encoding.UCS2, context, "plan encoding");
      assertThatThrownBy(() -> SmsEncoding.split(text, Encoding.GSM7, 153)).as(context)
          .isInstanceOf(IllegalArgumentException.class);
      return;
    }
    byte[] expected = referenceEncode(text);
    same(Gsm7.encode(text), expected, context, "encode");
    same(Gsm7.encode(new StringBuilder(text)), expected, context, "encode(StringBuilder)");

    int perPart = count <= 160 ? 160 : 153;
    List<String> parts = referenceSplit(text, perPart);
    same(plan.encoding(), Encoding.GSM7, context, "plan encoding");
    same(plan.units(), count, context, "plan units");
    same(plan.unitsPerPart(), perPart, context, "plan unitsPerPart");
    same(plan.parts(), parts, context, "plan parts");
    for (String part : parts) {
      byte[] septets = Gsm7.encode(part);
      same(septets, referenceEncode(part), context, "encode of a part");
      assertThat(septets.length).as(context).isLessThanOrEqualTo(perPart);
    }
    for (int per : new int[] {152, 153, 160, 2 + random.nextInt(200)}) {
      same(SmsEncoding.split(text, Encoding.GSM7, per), referenceSplit(text, per), context, "split " + per);
      straddles[0] += per == 152 || per == 153 ? straddling(text, per) : 0;
    }
  }

  /** Fails with the context unless equal (byte arrays by content); asserts lazily so 10,000 texts stay quick. */
  private static void same(Object actual, Object expected, String context, String what) {
    boolean equal = actual instanceof byte[] a && expected instanceof byte[] e ? Arrays.equals(a, e)
        : Objects.equals(actual, expected);
    if (!equal) {
      assertThat(actual).as(context + ": " + what).isEqualTo(expected);
    }
  }

  /** Random GSM text of 0..700 characters with an extension density of 0, 5, 30, 50 or 100%; 1 in 8 gets a foreign. */
  private static String randomText(Random random) {
    int length = random.nextInt(8) == 0 ? random.nextInt(10) : random.nextInt(700);
    double density = new double[] {0, 0.05, 0.05, 0.3, 0.5, 1.0}[random.nextInt(6)];
    StringBuilder sb = new StringBuilder(length + 1);
    for (int i = 0; i < length; i++) {
      sb.append(random.nextDouble() < density ? pick(random, EXTENSION_CHARS) : pick(random, BASIC_CHARS));
    }
    if (random.nextInt(8) == 0) {
      sb.insert(random.nextInt(sb.length() + 1), FOREIGN[random.nextInt(FOREIGN.length)]);
    }
    return sb.toString();
  }

  /**
   * A text in which an extension character starts at septet 150..161 of a part of 152, 153 or 160 (so its escape
   * falls just before, on, or just after the boundary), repeated for up to 5 parts, with a random tail.
   */
  private static String boundaryText(Random random) {
    int per = new int[] {152, 153, 160}[random.nextInt(3)];
    int parts = 1 + random.nextInt(5);
    StringBuilder sb = new StringBuilder();
    int septets = 0;
    for (int p = 1; p <= parts; p++) {
      int target = (p - 1) * per + per - 3 + random.nextInt(5); // the extension character starts here
      while (septets < target) {
        boolean extension = random.nextInt(6) == 0 && septets + 2 <= target;
        sb.append(extension ? pick(random, EXTENSION_CHARS) : pick(random, BASIC_CHARS));
        septets += extension ? 2 : 1;
      }
      sb.append(pick(random, EXTENSION_CHARS));
      septets += 2;
    }
    for (int i = random.nextInt(20); i > 0; i--) {
      sb.append(random.nextBoolean() ? pick(random, EXTENSION_CHARS) : pick(random, BASIC_CHARS));
    }
    return sb.toString();
  }

  private static char pick(Random random, List<Character> chars) {
    return chars.get(random.nextInt(chars.size()));
  }

  /** How many parts of {@code per} septets end one septet short because the next character is an escape pair. */
  private static int straddling(String text, int per) {
    int n = 0;
    int used = 0;
    for (char c : text.toCharArray()) {
      int width = EXTENSION[c] >= 0 ? 2 : 1;
      if (used + width > per) {
        n += width == 2 && used == per - 1 ? 1 : 0;
        used = 0;
      }
      used += width;
    }
    return n;
  }

  private static int referenceCount(String text) {
    int septets = 0;
    for (char c : text.toCharArray()) {
      if (BASIC[c] >= 0) {
        septets += 1;
      } else if (EXTENSION[c] >= 0) {
        septets += 2;
      } else {
        return -1;
      }
    }
    return septets;
  }

  private static int firstForeign(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (BASIC[text.charAt(i)] < 0 && EXTENSION[text.charAt(i)] < 0) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] referenceEncode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (BASIC[c] >= 0) {
        out.write(BASIC[c]);
      } else if (EXTENSION[c] >= 0) {
        out.write(0x1B);
        out.write(EXTENSION[c]);
      } else {
        throw new IllegalArgumentException(notGsm(c, i));
      }
    }
    return out.toByteArray();
  }

  private static String notGsm(char c, int index) {
    return String.format(Locale.ROOT, "character U+%04X at index %d is not in the GSM 03.38 alphabet", (int) c, index);
  }

  /** Greedy packing: a part takes characters while they fit; one that would overflow starts the next part. */
  private static List<String> referenceSplit(String text, int per) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    int used = 0;
    for (char c : text.toCharArray()) {
      int width = EXTENSION[c] >= 0 ? 2 : 1;
      if (used + width > per) {
        parts.add(part.toString());
        part.setLength(0);
        used = 0;
      }
      part.append(c);
      used += width;
    }
    parts.add(part.toString());
    return parts;
  }
}
