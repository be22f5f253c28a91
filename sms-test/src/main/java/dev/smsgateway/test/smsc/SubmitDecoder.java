package dev.smsgateway.test.smsc;

import dev.smsgateway.text.Gsm7;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.SubmitSm;

/**
 * How the simulator reads a {@code submit_sm} into a {@link ReceivedSubmit}: TLVs, the short message or
 * message_payload, the concatenation of its part (8- or 16-bit UDH, or the SAR TLVs) and its text. Stateless.
 */
final class SubmitDecoder {

  static final int TAG_SAR_MSG_REF_NUM = 0x020C;
  static final int TAG_SAR_TOTAL_SEGMENTS = 0x020E;
  static final int TAG_SAR_SEGMENT_SEQNUM = 0x020F;
  private static final int TAG_MESSAGE_PAYLOAD = 0x0424;

  private SubmitDecoder() {}

  /** {@code submit} as received on a session bound as {@code boundSystemId}, at {@code receivedAt}. */
  static ReceivedSubmit decode(SubmitSm submit, String boundSystemId, Instant receivedAt) {
    Map<Integer, byte[]> tlvs = new HashMap<>();
    OptionalParameter[] params = submit.getOptionalParameters();
    if (params != null) {
      for (OptionalParameter p : params) {
        byte[] all = p.serialize();
        tlvs.put(p.tag & 0xFFFF, Arrays.copyOfRange(all, 4, all.length));
      }
    }
    byte[] sm = submit.getShortMessage() == null ? new byte[0] : submit.getShortMessage();
    if (sm.length == 0 && tlvs.containsKey(TAG_MESSAGE_PAYLOAD)) {
      sm = tlvs.get(TAG_MESSAGE_PAYLOAD);
    }
    int esm = submit.getEsmClass() & 0xFF;
    byte[] udh = new byte[0];
    byte[] body = sm;
    int ref = -1;
    int total = 1;
    int seq = 1;
    if ((esm & 0x40) != 0 && sm.length > 0) {
      int udhl = sm[0] & 0xFF;
      int end = Math.min(sm.length, 1 + udhl);
      udh = Arrays.copyOfRange(sm, 0, end);
      body = Arrays.copyOfRange(sm, end, sm.length);
      for (int i = 1; i + 1 < end; ) {
        int iei = udh[i] & 0xFF;
        int len = udh[i + 1] & 0xFF;
        if (iei == 0x00 && len == 3 && i + 4 < end + 1) {
          ref = udh[i + 2] & 0xFF;
          total = udh[i + 3] & 0xFF;
          seq = udh[i + 4] & 0xFF;
        } else if (iei == 0x08 && len == 4 && i + 5 < end + 1) {
          ref = ((udh[i + 2] & 0xFF) << 8) | (udh[i + 3] & 0xFF);
          total = udh[i + 4] & 0xFF;
          seq = udh[i + 5] & 0xFF;
        }
        i += 2 + len;
      }
    } else if (tlvs.containsKey(TAG_SAR_MSG_REF_NUM)) {
      ref = toInt(tlvs.get(TAG_SAR_MSG_REF_NUM));
      total = toInt(tlvs.getOrDefault(TAG_SAR_TOTAL_SEGMENTS, new byte[] {1}));
      seq = toInt(tlvs.getOrDefault(TAG_SAR_SEGMENT_SEQNUM, new byte[] {1}));
    }
    int dc = submit.getDataCoding() & 0xFF;
    return new ReceivedSubmit(boundSystemId, nz(submit.getSourceAddr()), submit.getSourceAddrTon() & 0xFF,
        submit.getSourceAddrNpi() & 0xFF, nz(submit.getDestAddress()), submit.getDestAddrTon() & 0xFF,
        submit.getDestAddrNpi() & 0xFF, esm, dc, submit.getRegisteredDelivery() & 0xFF,
        nz(submit.getValidityPeriod()), sm.clone(), udh, decodeText(body, dc), ref, total, seq, tlvs,
        receivedAt, null, -1);
  }

  static String decodeText(byte[] body, int dataCoding) {
    return switch (dataCoding) {
      case 0x00 -> Gsm7.decode(body);
      case 0x01 -> new String(body, StandardCharsets.US_ASCII);
      case 0x08 -> new String(body, StandardCharsets.UTF_16BE);
      default -> new String(body, StandardCharsets.ISO_8859_1);
    };
  }

  private static int toInt(byte[] b) {
    int v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xFF);
    }
    return v;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
