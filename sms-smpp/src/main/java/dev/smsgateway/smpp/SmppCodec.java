package dev.smsgateway.smpp;

import dev.smsgateway.SmsValidationException;
import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.Gsm7;
import dev.smsgateway.text.SegmentPlan;
import dev.smsgateway.text.SmsEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns texts into short_message bytes and back: data coding choice (SMPP 3.4 section 5.2.19), part sizes and
 * concatenation (3GPP TS 23.040 section 9.2.3.24.1 and .8 for the 8 and 16-bit UDH, SMPP 3.4 section 5.3.2.22-24 for
 * the SAR TLVs), the relative validity period (SMPP 3.4 section 7.1.1).
 *
 * <p>Thread-safe (stateless).
 */
final class SmppCodec {

  static final int DC_DEFAULT = 0x00;
  static final int DC_IA5 = 0x01;
  static final int DC_LATIN1 = 0x03;
  static final int DC_UCS2 = 0x08;

  static final int TAG_SAR_MSG_REF_NUM = 0x020C;
  static final int TAG_SAR_TOTAL_SEGMENTS = 0x020E;
  static final int TAG_SAR_SEGMENT_SEQNUM = 0x020F;
  static final int TAG_MESSAGE_PAYLOAD = 0x0424;
  static final int TAG_RECEIPTED_MESSAGE_ID = 0x001E;
  static final int TAG_MESSAGE_STATE = 0x0427;

  /** One submit_sm worth of content: esm_class, data_coding, short_message and the extra TLVs (tag, value). */
  record Part(int esmClass, int dataCoding, byte[] shortMessage, List<int[]> sar, byte[] payload) {}

  /** What a whole message becomes. {@code billedParts} is what the handset receives, even for message_payload. */
  record Encoded(List<Part> parts, int billedParts) {}

  /** A decoded inbound short message: its text and its concatenation header, if any. */
  record Decoded(String text, int ref, int total, int seq) {
    boolean multipart() {
      return total > 1;
    }
  }

  private SmppCodec() {}

  static Encoded encode(SegmentPlan plan, SmppSmsProvider.LongMessageMode mode, boolean latin1, int ref) {
    String text = plan.text();
    int alphabet;
    if (plan.encoding() == Encoding.GSM7) {
      alphabet = DC_DEFAULT;
    } else if (latin1 && isLatin1(text)) {
      alphabet = DC_LATIN1;
    } else {
      alphabet = DC_UCS2;
    }
    int units = alphabet == DC_DEFAULT ? plan.units() : text.length();
    int single = alphabet == DC_DEFAULT ? 160 : alphabet == DC_LATIN1 ? 140 : 70;
    if (units <= single) {
      return new Encoded(List.of(new Part(0, alphabet, bytes(text, alphabet), List.of(), null)), 1);
    }
    boolean sixteen = mode == SmppSmsProvider.LongMessageMode.UDH_16BIT;
    int per = switch (alphabet) {
      case DC_DEFAULT -> sixteen ? 152 : 153;
      case DC_LATIN1 -> sixteen ? 133 : 134;
      default -> sixteen ? 66 : 67;
    };
    List<String> chunks = alphabet == DC_LATIN1 ? chunk(text, per)
        : SmsEncoding.split(text, alphabet == DC_DEFAULT ? Encoding.GSM7 : Encoding.UCS2, per);
    int total = chunks.size();
    if (total > 255) {
      throw new SmsValidationException("body", "is too long: " + total + " parts > 255");
    }
    if (mode == SmppSmsProvider.LongMessageMode.MESSAGE_PAYLOAD) {
      byte[] all = bytes(text, alphabet);
      if (all.length > 64_000) {
        throw new SmsValidationException("body", "is too long for message_payload: " + all.length + " bytes");
      }
      return new Encoded(List.of(new Part(0, alphabet, new byte[0], List.of(), all)), total);
    }
    List<Part> parts = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      byte[] body = bytes(chunks.get(i), alphabet);
      switch (mode) {
        case UDH_8BIT -> parts.add(new Part(0x40, alphabet,
            concat(new byte[] {5, 0, 3, (byte) ref, (byte) total, (byte) (i + 1)}, body), List.of(), null));
        case UDH_16BIT -> parts.add(new Part(0x40, alphabet,
            concat(new byte[] {6, 8, 4, (byte) (ref >> 8), (byte) ref, (byte) total, (byte) (i + 1)}, body),
            List.of(), null));
        case SAR -> parts.add(new Part(0, alphabet, body, List.of(
            new int[] {TAG_SAR_MSG_REF_NUM, ref & 0xFFFF}, new int[] {TAG_SAR_TOTAL_SEGMENTS, total},
            new int[] {TAG_SAR_SEGMENT_SEQNUM, i + 1}), null));
        default -> throw new IllegalStateException(mode.name());
      }
    }
    return new Encoded(parts, total);
  }

  static boolean isLatin1(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  static byte[] bytes(String text, int alphabet) {
    return switch (alphabet) {
      case DC_DEFAULT -> Gsm7.encode(text);
      case DC_LATIN1 -> text.getBytes(StandardCharsets.ISO_8859_1);
      default -> text.getBytes(StandardCharsets.UTF_16BE);
    };
  }

  private static List<String> chunk(String text, int per) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i += per) {
      out.add(text.substring(i, Math.min(text.length(), i + per)));
    }
    return out;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Decodes an inbound short message: strips and reads the UDH when esm_class has UDHI (0x40), decodes by data_coding.
   * Unknown data codings decode as Latin-1 so that nothing throws.
   *
   * @param gsmDefault how data_coding 0 (the SMSC default alphabet) is read: GSM 03.38 unpacked, or Latin-1
   */
  static Decoded decode(int esmClass, int dataCoding, byte[] sm, boolean gsmDefault) {
    byte[] body = sm == null ? new byte[0] : sm;
    int ref = -1;
    int total = 1;
    int seq = 1;
    if ((esmClass & 0x40) != 0 && body.length > 0) {
      int udhl = body[0] & 0xFF;
      int end = Math.min(body.length, 1 + udhl);
      for (int i = 1; i + 1 < end; ) {
        int iei = body[i] & 0xFF;
        int len = body[i + 1] & 0xFF;
        if (iei == 0x00 && len == 3 && i + 4 < end) {
          ref = body[i + 2] & 0xFF;
          total = body[i + 3] & 0xFF;
          seq = body[i + 4] & 0xFF;
        } else if (iei == 0x08 && len == 4 && i + 5 < end) {
          ref = ((body[i + 2] & 0xFF) << 8) | (body[i + 3] & 0xFF);
          total = body[i + 4] & 0xFF;
          seq = body[i + 5] & 0xFF;
        }
        i += 2 + len;
      }
      body = Arrays.copyOfRange(body, end, body.length);
    }
    return new Decoded(text(dataCoding, body, gsmDefault), ref, total, seq);
  }

  /** Decodes by data_coding (SMPP 3.4 section 5.2.19 and the 3GPP TS 23.038 coding groups). */
  static String text(int dataCoding, byte[] body, boolean gsmDefault) {
    int dc = dataCoding & 0xFF;
    int alphabet;
    if (dc == 0x00) {
      alphabet = gsmDefault ? 0 : 3;
    } else if (dc == DC_IA5) {
      alphabet = 1;
    } else if (dc == DC_LATIN1 || dc == 0x02 || dc == 0x04) {
      alphabet = 3;
    } else if (dc == DC_UCS2) {
      alphabet = 8;
    } else if ((dc & 0xC0) == 0x00 || (dc & 0xF0) == 0xF0) {
      // general data coding groups 00xx and F: bits 3-2 (or bit 2) give the alphabet
      int bits = (dc & 0xF0) == 0xF0 ? ((dc & 0x04) != 0 ? 1 : 0) : (dc >> 2) & 0x03;
      alphabet = bits == 0 ? 0 : bits == 2 ? 8 : 3;
    } else if ((dc & 0xF0) == 0xE0) {
      alphabet = 8;
    } else if ((dc & 0xF0) == 0xC0 || (dc & 0xF0) == 0xD0) {
      alphabet = 0;
    } else {
      alphabet = 3;
    }
    return switch (alphabet) {
      case 0 -> Gsm7.decode(body);
      case 1 -> new String(body, StandardCharsets.US_ASCII);
      case 8 -> new String(body, 0, body.length & ~1, StandardCharsets.UTF_16BE);
      default -> new String(body, StandardCharsets.ISO_8859_1);
    };
  }

  /** A relative validity period, {@code YYMMDDhhmmss000R} (SMPP 3.4 section 7.1.1.2); days beyond 99 years are capped. */
  static String validity(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long years = Math.min(99, s / (365L * 86400));
    s -= years * 365L * 86400;
    long months = s / (30L * 86400);
    s -= months * 30L * 86400;
    long days = s / 86400;
    s -= days * 86400;
    long hours = s / 3600;
    s -= hours * 3600;
    long minutes = s / 60;
    s -= minutes * 60;
    return String.format("%02d%02d%02d%02d%02d%02d000R", years, months, days, hours, minutes, s);
  }
}
