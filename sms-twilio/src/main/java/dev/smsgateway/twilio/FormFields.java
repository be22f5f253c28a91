package dev.smsgateway.twilio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook's parameters in arrival order, parsed once: the names and values as strings and, for a form body, where
 * each decoded name's and value's bytes already are (a part without escapes is its own bytes in the body; a decoded
 * one keeps the bytes it was decoded to), so that the signature is computed over bytes without re-encoding strings.
 * {@link #get} is a name's first value, as Twilio's parameters are read.
 *
 * <p>An ASCII form body (what Twilio sends: the values are percent-encoded) is parsed here in one pass over its bytes,
 * by the same rules as {@link FormData#parse}; any other body through {@link FormData}, so the two cannot disagree on
 * what they accept. The parameter names Twilio sends are taken from a table rather than built per request, and a
 * value without escapes becomes a string only when it is read.
 *
 * <p>Not thread-safe; one per request.
 */
final class FormFields {

  private static final int INDEX_ABOVE = 16;

  /** The parameters of Twilio's Messaging webhooks (inbound messages and status callbacks). */
  private static final String[][] KNOWN_BY_LENGTH = byLength(List.of("AccountSid", "ApiVersion", "Body", "ErrorCode",
      "ErrorMessage", "From", "FromCity", "FromCountry", "FromState", "FromZip", "MessageSid", "MessageStatus",
      "MessagingServiceSid", "NumMedia", "NumSegments", "OptOutType", "SmsMessageSid", "SmsSid", "SmsStatus", "To",
      "ToCity", "ToCountry", "ToState", "ToZip", "ChannelToAddress", "ChannelPrefix", "ChannelInstallSid",
      "ProfileName", "WaId", "ReferralNumMedia", "RawDlrDoneDate", "MediaUrl0", "MediaUrl1", "MediaUrl2", "MediaUrl3",
      "MediaUrl4", "MediaUrl5", "MediaUrl6", "MediaUrl7", "MediaUrl8", "MediaUrl9", "MediaContentType0",
      "MediaContentType1", "MediaContentType2", "MediaContentType3", "MediaContentType4", "MediaContentType5",
      "MediaContentType6", "MediaContentType7", "MediaContentType8", "MediaContentType9"));

  private final byte[] body;
  private final String[] names;
  private final String[] values;
  /** Per field: name start, name end, value start, value end in {@link #body}; -1 where the bytes are elsewhere. */
  private final int[] ranges;
  /** Per field, the UTF-8 a decoded value was decoded from, or null. */
  private byte[][] decodedValues;
  private int size;
  private Map<String, String> index;

  private FormFields(byte[] body, int capacity) {
    this.body = body;
    this.names = new String[capacity];
    this.values = new String[capacity];
    this.ranges = new int[capacity * 4];
  }

  /** Fields with no body bytes to point at: each one's bytes are its strings' UTF-8. */
  static FormFields of(List<Map.Entry<String, String>> params) {
    FormFields f = new FormFields(null, params.size());
    for (Map.Entry<String, String> e : params) {
      f.add(e.getKey(), e.getValue());
    }
    return f;
  }

  /**
   * Parses an {@code application/x-www-form-urlencoded} body strictly (see {@link FormData}).
   *
   * @throws IllegalArgumentException on a bad percent escape, invalid UTF-8, or more than {@code maxParams} parameters
   */
  static FormFields parse(byte[] body, int length, int maxParams) {
    int separators = 0;
    for (int i = 0; i < length; i++) {
      byte b = body[i];
      if (b < 0) { // raw non-ASCII bytes: the whole body must be valid UTF-8 first
        return of(FormData.parse(FormData.Utf8.decodeStrict(body, length), maxParams));
      }
      if (b == '&') {
        separators++;
      }
    }
    FormFields f = new FormFields(body, Math.min(separators + 1, maxParams + 1));
    int start = 0;
    while (start < length) {
      int end = start;
      int eq = -1;
      while (end < length && body[end] != '&') {
        if (body[end] == '=' && eq < 0) {
          eq = end;
        }
        end++;
      }
      if (end > start) {
        if (f.size == maxParams) {
          throw new IllegalArgumentException("more than " + maxParams + " parameters");
        }
        if (eq < 0) {
          f.addPart(start, end, end, end);
        } else {
          f.addPart(start, eq, eq + 1, end);
        }
      }
      start = end + 1;
    }
    return f;
  }

  private void addPart(int nameFrom, int nameTo, int valueFrom, int valueTo) {
    int i = size++;
    int[] r = ranges;
    if (plain(nameFrom, nameTo)) {
      names[i] = name(nameFrom, nameTo);
      r[i * 4] = nameFrom;
      r[i * 4 + 1] = nameTo;
    } else {
      names[i] = FormData.Utf8.decodeStrict(decode(nameFrom, nameTo), decoded);
      r[i * 4] = -1;
    }
    if (plain(valueFrom, valueTo)) {
      r[i * 4 + 2] = valueFrom; // the string is made when the value is read
      r[i * 4 + 3] = valueTo;
    } else {
      byte[] bytes = decode(valueFrom, valueTo);
      values[i] = FormData.Utf8.decodeStrict(bytes, decoded);
      r[i * 4 + 2] = -1;
      r[i * 4 + 3] = decoded;
      if (decodedValues == null) {
        decodedValues = new byte[names.length][];
      }
      decodedValues[i] = bytes;
    }
  }

  private boolean plain(int from, int to) {
    for (int i = from; i < to; i++) {
      if (body[i] == '%' || body[i] == '+') {
        return false;
      }
    }
    return true;
  }

  /** A name from the table of Twilio's, or a new string. */
  private String name(int from, int to) {
    int length = to - from;
    if (length < KNOWN_BY_LENGTH.length) {
      for (String known : KNOWN_BY_LENGTH[length]) {
        if (sameAscii(known, from)) {
          return known;
        }
      }
    }
    return ascii(from, to);
  }

  private boolean sameAscii(String known, int from) {
    for (int k = 0; k < known.length(); k++) {
      if (body[from + k] != known.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private String ascii(int from, int to) {
    return from == to ? "" : new String(body, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private int decoded;

  /** Percent and plus decoding of ASCII bytes; the length is left in {@link #decoded}. */
  private byte[] decode(int from, int to) {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = body[i];
      if (c == '+') {
        out[n++] = ' ';
      } else if (c == '%') {
        if (i + 2 >= to) {
          throw new IllegalArgumentException("truncated percent escape");
        }
        int hi = Character.digit(body[i + 1], 16);
        int lo = Character.digit(body[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent escape");
        }
        out[n++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else {
        out[n++] = c;
      }
    }
    decoded = n;
    return out;
  }

  /** Appends a field whose bytes are its strings' UTF-8. */
  private void add(String name, String value) {
    int i = size++;
    names[i] = name;
    values[i] = value;
    ranges[i * 4] = -1;
    ranges[i * 4 + 2] = -1;
    ranges[i * 4 + 3] = -1;
  }

  int size() {
    return size;
  }

  String name(int i) {
    return names[i];
  }

  String value(int i) {
    String v = values[i];
    if (v == null) {
      v = ascii(ranges[i * 4 + 2], ranges[i * 4 + 3]);
      values[i] = v;
    }
    return v;
  }

  /** The first value of {@code name}, or null. */
  String get(String name) {
    if (size > INDEX_ABOVE) {
      if (index == null) {
        index = new HashMap<>();
        for (int i = 0; i < size; i++) {
          index.putIfAbsent(names[i], value(i));
        }
      }
      return index.get(name);
    }
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return value(i);
      }
    }
    return null;
  }

  /** Field {@code i}'s name then value as UTF-8, written to {@code out} at {@code at}; returns the new end. */
  int copyBytes(int i, byte[] out, int at) {
    int[] r = ranges;
    if (r[i * 4] >= 0) {
      int length = r[i * 4 + 1] - r[i * 4];
      System.arraycopy(body, r[i * 4], out, at, length);
      at += length;
    } else {
      byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
      System.arraycopy(name, 0, out, at, name.length);
      at += name.length;
    }
    if (r[i * 4 + 2] >= 0) {
      int length = r[i * 4 + 3] - r[i * 4 + 2];
      System.arraycopy(body, r[i * 4 + 2], out, at, length);
      return at + length;
    }
    if (r[i * 4 + 3] >= 0) {
      System.arraycopy(decodedValues[i], 0, out, at, r[i * 4 + 3]);
      return at + r[i * 4 + 3];
    }
    byte[] value = values[i].getBytes(StandardCharsets.UTF_8);
    System.arraycopy(value, 0, out, at, value.length);
    return at + value.length;
  }

  /** An upper bound of {@link #copyBytes} over all fields. */
  int byteBound() {
    int total = 0;
    int[] r = ranges;
    for (int i = 0; i < size; i++) {
      total += r[i * 4] >= 0 ? r[i * 4 + 1] - r[i * 4] : 3 * names[i].length(); // a char: at most 3 UTF-8 bytes
      total += r[i * 4 + 2] >= 0 ? r[i * 4 + 3] - r[i * 4 + 2] : r[i * 4 + 3] >= 0 ? r[i * 4 + 3]
          : 3 * values[i].length();
    }
    return total;
  }

  private static String[][] byLength(List<String> names) {
    int longest = names.stream().mapToInt(String::length).max().orElse(0);
    String[][] out = new String[longest + 1][0];
    for (String n : names) {
      out[n.length()] = Arrays.copyOf(out[n.length()], out[n.length()].length + 1);
      out[n.length()][out[n.length()].length - 1] = n;
    }
    return out;
  }
}
