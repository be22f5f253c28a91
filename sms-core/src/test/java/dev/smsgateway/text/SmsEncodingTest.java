package dev.smsgateway.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SmsEncodingTest {

  static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // man ZWJ woman ZWJ girl: 8 units
  static final String WAVE = "\uD83D\uDC4B";

  static Stream<Arguments> table() {
    return Stream.of(
        // name, text, encoding, parts, units, unitsPerPart
        Arguments.of("empty", "", Encoding.GSM7, 1, 0, 160),
        Arguments.of("160 GSM", "a".repeat(160), Encoding.GSM7, 1, 160, 160),
        Arguments.of("161 GSM", "a".repeat(161), Encoding.GSM7, 2, 161, 153),
        Arguments.of("306 GSM = 2 x 153", "a".repeat(306), Encoding.GSM7, 2, 306, 153),
        Arguments.of("307 GSM", "a".repeat(307), Encoding.GSM7, 3, 307, 153),
        Arguments.of("80 euro = 160 septets", "€".repeat(80), Encoding.GSM7, 1, 160, 160),
        Arguments.of("81 euro = 162 septets", "€".repeat(81), Encoding.GSM7, 2, 162, 153),
        Arguments.of("159 + extension = 161", "a".repeat(159) + "{", Encoding.GSM7, 2, 161, 153),
        Arguments.of("extension chars count 2", "{}[]~\\^|€\f", Encoding.GSM7, 1, 20, 160),
        Arguments.of("GSM accents stay GSM", "äöñüàèéùìòÇØøÅåÆæßÉÄÖÑÜ§¿¡£¥", Encoding.GSM7, 1, 28, 160),
        Arguments.of("Greek capitals in GSM", "ΔΦΓΛΩΠΨΣΘΞ", Encoding.GSM7, 1, 10, 160),
        Arguments.of("70 UCS-2", "ж".repeat(70), Encoding.UCS2, 1, 70, 70),
        Arguments.of("71 UCS-2", "ж".repeat(71), Encoding.UCS2, 2, 71, 67),
        Arguments.of("134 UCS-2 = 2 x 67", "ж".repeat(134), Encoding.UCS2, 2, 134, 67),
        Arguments.of("135 UCS-2", "ж".repeat(135), Encoding.UCS2, 3, 135, 67),
        Arguments.of("one GSM-foreign char forces UCS-2", "a".repeat(69) + "õ", Encoding.UCS2, 1, 70, 70),
        Arguments.of("35 emoji = 70 units", WAVE.repeat(35), Encoding.UCS2, 1, 70, 70),
        Arguments.of("36 emoji = 72 units", WAVE.repeat(36), Encoding.UCS2, 2, 72, 67),
        Arguments.of("ZWJ family is 8 units", FAMILY, Encoding.UCS2, 1, 8, 70),
        Arguments.of("CJK 70", "你好".repeat(35), Encoding.UCS2, 1, 70, 70),
        Arguments.of("CJK 71", "你好".repeat(35) + "!", Encoding.UCS2, 2, 71, 67));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  @DisplayName("encoding, parts and units")
  void plans(String name, String text, Encoding encoding, int parts, int units, int perPart) {
    SegmentPlan plan = SmsEncoding.plan(text);
    assertThat(plan.encoding()).isEqualTo(encoding);
    assertThat(plan.partCount()).isEqualTo(parts);
    assertThat(plan.units()).isEqualTo(units);
    assertThat(plan.unitsPerPart()).isEqualTo(perPart);
    assertThat(String.join("", plan.parts())).isEqualTo(text);
  }

  @Test
  @DisplayName("an escape sequence is never split: 152 + euro makes the euro start part 2")
  void escapeNotSplit() {
    SegmentPlan plan = SmsEncoding.plan("a".repeat(152) + "€" + "b".repeat(10));
    assertThat(plan.parts()).hasSize(2);
    assertThat(plan.parts().get(0)).isEqualTo("a".repeat(152));
    assertThat(plan.parts().get(1)).startsWith("€");
    byte[] first = Gsm7.encode(plan.parts().get(0));
    assertThat(first[first.length - 1]).isNotEqualTo((byte) Gsm7.ESCAPE);
  }

  @Test
  @DisplayName("a surrogate pair is never split: 33 emoji (66 units) fill the first part of 67")
  void surrogateNotSplit() {
    SegmentPlan plan = SmsEncoding.plan(WAVE.repeat(36));
    assertThat(plan.parts().get(0)).isEqualTo(WAVE.repeat(33));
    assertThat(plan.parts().get(1)).isEqualTo(WAVE.repeat(3));
  }

  @Test
  @DisplayName("the characters that forced UCS-2 are listed once each, whole, in order")
  void ucs2Characters() {
    SegmentPlan plan = SmsEncoding.plan("Hi " + WAVE + " ж " + WAVE + " 你 é");
    assertThat(plan.ucs2Characters()).containsExactly(WAVE, "ж", "你");
    assertThat(SmsEncoding.plan("plain").ucs2Characters()).isEmpty();
  }

  @Test
  @DisplayName("transliteration replaces look-alikes, reports each replacement, and is off by default")
  void transliteration() {
    String text = "\u201CHi\u201D \u2013 it\u2019s\u00A0ready\u2026";
    assertThat(SmsEncoding.plan(text).encoding()).isEqualTo(Encoding.UCS2);
    assertThat(SmsEncoding.plan(text).replacements()).isEmpty();
    SegmentPlan plan = SmsEncoding.plan(text, true);
    assertThat(plan.encoding()).isEqualTo(Encoding.GSM7);
    assertThat(plan.text()).isEqualTo("\"Hi\" - it's ready...");
    assertThat(plan.replacements()).extracting(SegmentPlan.Replacement::original)
        .containsExactly("\u201C", "\u201D", "\u2013", "\u2019", "\u00A0", "\u2026");
    assertThat(plan.replacements().get(0).index()).isZero();
    assertThat(plan.replacements().get(5).replacement()).isEqualTo("...");
  }

  @Test
  @DisplayName("transliteration leaves characters without a GSM look-alike, which still force UCS-2")
  void transliterationKeepsOthers() {
    SegmentPlan plan = SmsEncoding.plan("\u2018ok\u2019 " + WAVE, true);
    assertThat(plan.encoding()).isEqualTo(Encoding.UCS2);
    assertThat(plan.text()).isEqualTo("'ok' " + WAVE);
    assertThat(plan.ucs2Characters()).containsExactly(WAVE);
  }

  @Test
  @DisplayName("split honours other part sizes (16-bit reference: 152 septets) and refuses bad input")
  void splitOtherSizes() {
    assertThat(SmsEncoding.split("a".repeat(304), Encoding.GSM7, 152)).hasSize(2);
    assertThat(SmsEncoding.split("a".repeat(305), Encoding.GSM7, 152)).hasSize(3);
    assertThatThrownBy(() -> SmsEncoding.split("ж", Encoding.GSM7, 153)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmsEncoding.split("a", Encoding.GSM7, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmsEncoding.plan(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("text == null");
  }

  @Test
  @DisplayName("toString shows sizes, never the text")
  void toStringHidesText() {
    assertThat(SmsEncoding.plan("secret code 1234").toString()).doesNotContain("secret").contains("GSM7");
  }

  @Test
  @DisplayName("GSM-7 encodes to septets and decodes back, extension characters via ESC")
  void gsm7RoundTrip() {
    String all = allGsmCharacters();
    byte[] septets = Gsm7.encode(all);
    assertThat(septets.length).isEqualTo(Gsm7.countSeptets(all));
    assertThat(Gsm7.decode(septets)).isEqualTo(all);
    assertThat(Gsm7.encode("€")).containsExactly(0x1B, 0x65);
    assertThat(Gsm7.encode("@")).containsExactly(0x00);
    assertThatThrownBy(() -> Gsm7.encode("ж")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+0436");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapePlacements")
  @DisplayName("GSM-7 encoding writes every escape wherever the extension characters fall, and exactly as many bytes")
  void gsm7EscapesAnywhere(String name, String text) {
    byte[] septets = Gsm7.encode(text);
    assertThat(septets).containsExactly(referenceEncode(text));
    assertThat(septets.length).isEqualTo(Gsm7.countSeptets(text));
    assertThat(Gsm7.decode(septets)).isEqualTo(text);
  }

  static Stream<Arguments> escapePlacements() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("no extension", "Hello world"),
        Arguments.of("extension first", "€ and more text"),
        Arguments.of("extension last", "price 10€"),
        Arguments.of("only extension", "{}[]~\\^|€\f".repeat(20)),
        Arguments.of("extension, then long plain tail", "{" + "a".repeat(500)),
        Arguments.of("plain, then extension run", "a".repeat(500) + "€".repeat(300)),
        Arguments.of("alternating", "a€".repeat(200)),
        Arguments.of("every GSM character", allGsmCharacters()));
  }

  /** GSM 03.38 written out plainly, one character at a time: escape for an extension character, then its code. */
  private static byte[] referenceEncode(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (char c : text.toCharArray()) {
      int ext = "\f^{}\\[~]|€".indexOf(c);
      if (ext >= 0) {
        out.write(0x1B);
        out.write(new int[] {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65}[ext]);
      } else {
        out.write(BASIC.indexOf(c));
      }
    }
    return out.toByteArray();
  }

  private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u00A0ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  @Test
  @DisplayName("a text without extension characters is cut every unitsPerPart characters, the last part the rest")
  void plainTextCutAtFixedPoints() {
    String text = "0123456789".repeat(100);
    List<String> parts = SmsEncoding.split(text, Encoding.GSM7, 152);
    assertThat(parts).hasSize(7);
    for (int i = 0; i < 6; i++) {
      assertThat(parts.get(i)).isEqualTo(text.substring(152 * i, 152 * (i + 1)));
    }
    assertThat(parts.get(6)).isEqualTo(text.substring(912));
    assertThat(SmsEncoding.plan(text).parts()).hasSize(7).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(153));
  }

  @Test
  @DisplayName("split returns a list the caller may change, one part or several")
  void splitReturnsMutableList() {
    List<String> one = SmsEncoding.split("short", Encoding.GSM7, 153);
    one.add("x");
    List<String> two = SmsEncoding.split("a".repeat(200), Encoding.GSM7, 153);
    two.add("x");
    assertThat(one).containsExactly("short", "x");
    assertThat(two).hasSize(3);
  }

  @Test
  @DisplayName("GSM-7 decoding is lenient: high bits ignored, unknown extension reads as basic, trailing ESC as space")
  void gsm7Lenient() {
    assertThat(Gsm7.decode(new byte[] {(byte) 0xC1})).isEqualTo("A");
    assertThat(Gsm7.decode(new byte[] {0x1B, 0x41})).isEqualTo("A");
    assertThat(Gsm7.decode(new byte[] {0x41, 0x1B})).isEqualTo("A ");
    assertThat(Gsm7.canEncode("Hello {world}")).isTrue();
    assertThat(Gsm7.canEncode("Hello " + WAVE)).isFalse();
    assertThat(Gsm7.countSeptets("ж")).isEqualTo(-1);
  }

  /** Every character GSM 03.38 can write, from the public septet query (basic and extension). */
  static String allGsmCharacters() {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < 0x400; c++) {
      if (Gsm7.septets(c) > 0) {
        sb.append((char) c);
      }
    }
    sb.append('€');
    return sb.toString();
  }

  static List<String> gsmAlphabet() {
    return allGsmCharacters().chars().mapToObj(c -> String.valueOf((char) c)).toList();
  }
}
