package dev.smsgateway.text;

import java.util.Arrays;

/**
 * The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 section 6.2.1), as one septet per byte
 * ("unpacked", the form SMPP carries with data_coding 0). Extension characters are written as the escape 0x1B
 * followed by their code.
 *
 * <p>Thread-safe (immutable tables).
 */
public final class Gsm7 {

  /** The escape to the extension table. */
  public static final int ESCAPE = 0x1B;

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  // Extension table: code -> character.
  private static final int[][] EXTENSION = {
      {0x0A, '\f'}, {0x14, '^'}, {0x28, '{'}, {0x29, '}'}, {0x2F, '\\'}, {0x3C, '['}, {0x3D, '~'}, {0x3E, ']'},
      {0x40, '|'}, {0x65, '€'}};

  private static final int TABLE_SIZE = 0x400; // covers Latin-1 and Greek capitals
  // For a character c < TABLE_SIZE: septet value in the low 7 bits, 0x100 set when it needs the escape, -1 if absent.
  private static final short[] ENCODE = new short[TABLE_SIZE];
  private static final char[] DECODE_BASIC = new char[128];
  private static final char[] DECODE_EXTENSION = new char[128];
  private static final int EURO = '€';
  private static final int EURO_CODE = 0x65;

  static {
    Arrays.fill(ENCODE, (short) -1);
    if (BASIC.length() != 128) {
      throw new AssertionError("GSM basic table has " + BASIC.length() + " entries");
    }
    for (int i = 0; i < 128; i++) {
      char c = BASIC.charAt(i);
      DECODE_BASIC[i] = c;
      if (i != ESCAPE) {
        ENCODE[c] = (short) i;
      }
    }
    for (int[] e : EXTENSION) {
      DECODE_EXTENSION[e[0]] = (char) e[1];
      if (e[1] < TABLE_SIZE) {
        ENCODE[e[1]] = (short) (0x100 | e[0]);
      }
    }
  }

  private Gsm7() {}

  /**
   * The number of septets {@code codePoint} takes: 1 in the basic table, 2 in the extension table, 0 if it cannot be
   * written in GSM-7.
   */
  public static int septets(int codePoint) {
    if (codePoint < TABLE_SIZE) {
      short v = ENCODE[codePoint];
      return v < 0 ? 0 : 1 + (v >>> 8);
    }
    return codePoint == EURO ? 2 : 0;
  }

  /** Whether every character of {@code text} is in the GSM 03.38 tables. */
  public static boolean canEncode(CharSequence text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      if (septets(text.charAt(i)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** The length of {@code text} in septets, or -1 if it cannot be written in GSM-7. */
  public static int countSeptets(CharSequence text) {
    return countSeptets(text, 0);
  }

  /** The septets of {@code text} from index {@code from} on, or -1 if a character cannot be written in GSM-7. */
  private static int countSeptets(CharSequence text, int from) {
    int total = 0;
    for (int i = from, n = text.length(); i < n; i++) {
      int v = code(text.charAt(i));
      if (v < 0) {
        return -1;
      }
      total += 1 + (v >>> 8); // the escape flag 0x100 counts the escape septet
    }
    return total;
  }

  /** The septet of {@code c} in the low 7 bits, 0x100 when it needs the escape, -1 when it has none. */
  private static int code(char c) {
    return c < TABLE_SIZE ? ENCODE[c] : c == EURO ? (0x100 | EURO_CODE) : -1;
  }

  /**
   * Encodes {@code text} as unpacked septets (one a byte).
   *
   * @throws IllegalArgumentException if a character is not in the GSM 03.38 tables (check with {@link #canEncode})
   */
  public static byte[] encode(CharSequence text) {
    // One pass into a plain array sized for the common case of no escapes (ByteArrayOutputStream's synchronized write
    // per septet cost more than the table lookups); the first escape sizes it exactly from the rest of the text.
    int n = text.length();
    byte[] out = new byte[n];
    int j = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      int v = code(c);
      if (v < 0) {
        throw new IllegalArgumentException("character U+" + String.format("%04X", (int) c) + " at index " + i
            + " is not in the GSM 03.38 alphabet");
      }
      if (v > 0xFF) {
        if (j + 2 + (n - i - 1) > out.length) {
          int rest = countSeptets(text, i);
          out = Arrays.copyOf(out, rest < 0 ? j + 2 * (n - i) : j + rest); // rest < 0: the loop throws further on
        }
        out[j++] = ESCAPE;
      }
      out[j++] = (byte) (v & 0x7F);
    }
    return j == out.length ? out : Arrays.copyOf(out, j);
  }

  /**
   * Decodes unpacked septets leniently: bits above the seventh are ignored, an unknown extension code reads as its
   * basic-table character (as 3GPP TS 23.038 asks), and a trailing lone escape reads as a space.
   */
  public static String decode(byte[] septets, int offset, int length) {
    StringBuilder sb = new StringBuilder(length);
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      int v = septets[i] & 0x7F;
      if (v == ESCAPE) {
        if (i + 1 >= end) {
          sb.append(' ');
          break;
        }
        int next = septets[++i] & 0x7F;
        char ext = DECODE_EXTENSION[next];
        sb.append(ext != 0 ? ext : DECODE_BASIC[next] == '\u001b' ? ' ' : DECODE_BASIC[next]);
      } else {
        sb.append(DECODE_BASIC[v]);
      }
    }
    return sb.toString();
  }

  /** Decodes a whole array; see {@link #decode(byte[], int, int)}. */
  public static String decode(byte[] septets) {
    return decode(septets, 0, septets.length);
  }
}
