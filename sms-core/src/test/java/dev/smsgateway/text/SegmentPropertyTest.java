package dev.smsgateway.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md S11: 10,000 random texts from GSM basic + extension, Latin-1, CJK and emoji (ZWJ sequences
 * included).
 * Parts rejoin to the text, part counts match an independent count, and no part ends in a lone high surrogate or a
 * GSM escape. Fixed seed, so a failure reproduces.
 */
class SegmentPropertyTest {

  static final long SEED = 0x5_11L;
  static final List<String> GSM = SmsEncodingTest.gsmAlphabet();
  static final List<String> LATIN1 = range(0xA0, 0xFF);
  static final List<String> CJK = range(0x4E00, 0x4FFF);
  static final List<String> EMOJI = List.of("\uD83D\uDC4B", "\uD83D\uDE00", "\uD83C\uDDFA\uD83C\uDDF8",
      "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\uD83D\uDC4D\uD83C\uDFFD", "\u2764\uFE0F",
      "\uD83E\uDDD1\u200D\uD83D\uDCBB");

  @Test
  @DisplayName("S11: 10,000 random texts segment exactly and safely")
  void randomTexts() {
    Random random = new Random(SEED);
    int gsm = 0;
    int ucs2 = 0;
    int multipart = 0;
    for (int i = 0; i < 10_000; i++) {
      String text = randomText(random);
      SegmentPlan plan = SmsEncoding.plan(text);
      String context = "text #" + i + " (seed " + SEED + ")";

      assertThat(String.join("", plan.parts())).as(context).isEqualTo(text);
      assertThat(plan.partCount()).as(context).isEqualTo(independentCount(text));
      for (String part : plan.parts()) {
        if (!part.isEmpty()) {
          assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).as(context).isFalse();
          assertThat(Character.isLowSurrogate(part.charAt(0))).as(context).isFalse();
        }
        if (plan.encoding() == Encoding.GSM7) {
          byte[] septets = Gsm7.encode(part);
          assertThat(septets.length).as(context).isLessThanOrEqualTo(plan.unitsPerPart());
          if (septets.length > 0) {
            assertThat(septets[septets.length - 1]).as(context).isNotEqualTo((byte) Gsm7.ESCAPE);
          }
          assertThat(Gsm7.decode(septets)).as(context).isEqualTo(part);
        } else {
          assertThat(part.length()).as(context).isLessThanOrEqualTo(plan.unitsPerPart());
        }
      }
      if (plan.encoding() == Encoding.GSM7) {
        gsm++;
      } else {
        ucs2++;
      }
      if (plan.isMultipart()) {
        multipart++;
      }
    }
    // The generator must really exercise both encodings and multipart splitting.
    assertThat(gsm).isGreaterThan(2_000);
    assertThat(ucs2).isGreaterThan(2_000);
    assertThat(multipart).isGreaterThan(2_000);
  }

  /** Counts parts by packing code units greedily, written independently of SmsEncoding.split. */
  static int independentCount(String text) {
    boolean gsm = true;
    int septets = 0;
    for (int i = 0; i < text.length(); i++) {
      int s = Gsm7.septets(text.charAt(i));
      if (s == 0) {
        gsm = false;
        break;
      }
      septets += s;
    }
    if (gsm) {
      if (septets <= 160) {
        return 1;
      }
      int parts = 1;
      int used = 0;
      for (int i = 0; i < text.length(); i++) {
        int s = Gsm7.septets(text.charAt(i));
        if (used + s > 153) {
          parts++;
          used = 0;
        }
        used += s;
      }
      return parts;
    }
    if (text.length() <= 70) {
      return 1;
    }
    int parts = 1;
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int len = Character.charCount(text.codePointAt(i));
      if (used + len > 67) {
        parts++;
        used = 0;
      }
      used += len;
      i += len;
    }
    return parts;
  }

  static String randomText(Random random) {
    int mode = random.nextInt(5);
    int length = random.nextInt(400);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      List<String> alphabet = switch (mode) {
        case 0, 1 -> GSM; // pure GSM, twice as likely
        case 2 -> random.nextInt(10) == 0 ? LATIN1 : GSM;
        case 3 -> random.nextBoolean() ? CJK : GSM;
        default -> random.nextInt(4) == 0 ? EMOJI : GSM;
      };
      sb.append(alphabet.get(random.nextInt(alphabet.size())));
    }
    return sb.toString();
  }

  static List<String> range(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int c = from; c <= to; c++) {
      out.add(String.valueOf((char) c));
    }
    return out;
  }
}
