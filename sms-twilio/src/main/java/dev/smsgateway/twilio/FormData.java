package dev.smsgateway.twilio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} text (WHATWG URL standard, section 5.1) strictly: a bad percent
 * escape, invalid UTF-8 or more than {@code maxParams} parameters is an {@link IllegalArgumentException}.
 *
 * <p>Thread-safe (stateless).
 */
final class FormData {

  private FormData() {}

  static List<Map.Entry<String, String>> parse(String text, int maxParams) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= text.length()) {
      int amp = text.indexOf('&', start);
      int end = amp < 0 ? text.length() : amp;
      if (end > start) {
        if (out.size() == maxParams) {
          throw new IllegalArgumentException("more than " + maxParams + " parameters");
        }
        int eq = text.indexOf('=', start);
        String name;
        String value;
        if (eq < 0 || eq > end) {
          name = decode(text, start, end);
          value = "";
        } else {
          name = decode(text, start, eq);
          value = decode(text, eq + 1, end);
        }
        out.add(Map.entry(name, value));
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
    return out;
  }

  private static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s.substring(from, to);
    }
    byte[] bytes = new byte[(to - from) * 3];
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes[n++] = ' ';
      } else if (c == '%') {
        if (i + 2 >= to) {
          throw new IllegalArgumentException("truncated percent escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent escape");
        }
        bytes[n++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes[n++] = (byte) c;
      } else {
        byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < to) {
          enc = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        System.arraycopy(enc, 0, bytes, n, enc.length);
        n += enc.length;
      }
    }
    return Utf8.decodeStrict(bytes, n);
  }

  /** Strict UTF-8 decoding. */
  static final class Utf8 {
    private Utf8() {}

    static String decodeStrict(byte[] bytes, int length) {
      int ascii = 0;
      while (ascii < length && bytes[ascii] >= 0) {
        ascii++;
      }
      if (ascii == length) { // ASCII (a form body's percent-encoded text) is valid UTF-8 as it is
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
      }
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes, 0, length))
            .toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new IllegalArgumentException("invalid UTF-8");
      }
    }
  }
}
