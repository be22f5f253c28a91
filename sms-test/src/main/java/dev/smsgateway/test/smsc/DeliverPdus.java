package dev.smsgateway.test.smsc;

import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.Gsm7;
import dev.smsgateway.text.SmsEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The {@code deliver_sm} PDUs the simulator sends: mobile-originated messages (split and concatenated when long) and
 * delivery receipts. Addresses starting with {@code +} go as international numbers, short digit strings as national,
 * text as alphanumeric. Stateless.
 */
final class DeliverPdus {

  private static final int TAG_RECEIPTED_MESSAGE_ID = 0x001E;
  private static final int TAG_MESSAGE_STATE = 0x0427;
  private static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm");

  private DeliverPdus() {}

  /**
   * The parts of a mobile-originated message: one {@code deliver_sm} when it fits, else parts concatenated as
   * {@code concatenation} says, with a reference from {@code nextRef} (asked only for a message of several parts).
   */
  static List<DeliverSpec> moParts(String from, String to, String text, SmscSimulator.Concatenation concatenation,
      IntSupplier nextRef) {
    Objects.requireNonNull(text, "text == null");
    boolean gsm = Gsm7.canEncode(text);
    Encoding enc = gsm ? Encoding.GSM7 : Encoding.UCS2;
    int single = enc.singleLimit();
    int units = gsm ? Gsm7.countSeptets(text) : text.length();
    int dc = gsm ? 0x00 : 0x08;
    if (units <= single) {
      return List.of(base(from, to).dataCoding(dc).shortMessage(encode(text, gsm)).build());
    }
    int per = concatenation == SmscSimulator.Concatenation.UDH_16BIT ? enc.multipartLimit() - 1 : enc.multipartLimit();
    List<String> chunks = SmsEncoding.split(text, enc, per);
    int ref = nextRef.getAsInt() & (concatenation == SmscSimulator.Concatenation.UDH_16BIT ? 0xFFFF : 0xFF);
    List<DeliverSpec> out = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      byte[] body = encode(chunks.get(i), gsm);
      DeliverSpec.Builder b = base(from, to).dataCoding(dc);
      switch (concatenation) {
        case UDH_8BIT -> b.esmClass(0x40).shortMessage(concat(new byte[] {
            5, 0, 3, (byte) ref, (byte) chunks.size(), (byte) (i + 1)}, body));
        case UDH_16BIT -> b.esmClass(0x40).shortMessage(concat(new byte[] {
            6, 8, 4, (byte) (ref >> 8), (byte) ref, (byte) chunks.size(), (byte) (i + 1)}, body));
        case SAR -> b.shortMessage(body)
            .tlv(SubmitDecoder.TAG_SAR_MSG_REF_NUM, new byte[] {(byte) (ref >> 8), (byte) ref})
            .tlv(SubmitDecoder.TAG_SAR_TOTAL_SEGMENTS, new byte[] {(byte) chunks.size()})
            .tlv(SubmitDecoder.TAG_SAR_SEGMENT_SEQNUM, new byte[] {(byte) (i + 1)});
      }
      out.add(b.build());
    }
    return out;
  }

  /**
   * A delivery receipt for {@code messageId} in the SMPP 3.4 Appendix B text form, dated {@code at}, with the
   * receipted_message_id and message_state TLVs when {@code tlvs}.
   */
  static DeliverSpec receipt(Instant at, boolean tlvs, String messageId, String stat, String src, int srcTon,
      int srcNpi, String dst, int dstTon, int dstNpi) {
    String now = LocalDateTime.ofInstant(at, ZoneOffset.UTC).format(RECEIPT_DATE);
    String text = "id:" + messageId + " sub:001 dlvrd:" + ("DELIVRD".equals(stat) ? "001" : "000") + " submit date:"
        + now + " done date:" + now + " stat:" + stat + " err:000 text:";
    DeliverSpec.Builder b = DeliverSpec.builder().source(src, srcTon, srcNpi).destination(dst, dstTon, dstNpi)
        .esmClass(0x04).text(text);
    if (tlvs) {
      byte[] id = (messageId + "\0").getBytes(StandardCharsets.ISO_8859_1);
      b.tlv(TAG_RECEIPTED_MESSAGE_ID, id);
      int state = messageState(stat);
      if (state > 0) {
        b.tlv(TAG_MESSAGE_STATE, new byte[] {(byte) state});
      }
    }
    return b.build();
  }

  private static int messageState(String stat) {
    return switch (stat) {
      case "ENROUTE" -> 1;
      case "DELIVRD" -> 2;
      case "EXPIRED" -> 3;
      case "DELETED" -> 4;
      case "UNDELIV" -> 5;
      case "ACCEPTD" -> 6;
      case "UNKNOWN" -> 7;
      case "REJECTD" -> 8;
      default -> 0;
    };
  }

  private static DeliverSpec.Builder base(String from, String to) {
    DeliverSpec.Builder b = DeliverSpec.builder();
    String[] f = address(from);
    String[] t = address(to);
    return b.source(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]))
        .destination(t[0], Integer.parseInt(t[1]), Integer.parseInt(t[2]));
  }

  private static String[] address(String a) {
    Objects.requireNonNull(a, "address == null");
    if (a.startsWith("+")) {
      return new String[] {a.substring(1), "1", "1"};
    }
    if (a.chars().allMatch(Character::isDigit)) {
      return new String[] {a, a.length() <= 8 ? "3" : "0", "1"};
    }
    return new String[] {a, "5", "0"};
  }

  private static byte[] encode(String text, boolean gsm) {
    return gsm ? Gsm7.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
