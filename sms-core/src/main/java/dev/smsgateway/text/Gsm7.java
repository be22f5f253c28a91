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
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

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
    int total = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
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
   * Counts the septets of {@code text} and, in the same pass, where it splits into parts of at most
   * {@code unitsPerPart} septets: a part ends before the character that would overflow it, so an escape and its code
   * stay in one part. {@code cuts[0]} receives the number of cuts, {@code cuts[1..]} the index of the first character
   * of the second, third... part; {@code cuts} holds at least {@link #cutsCapacity} entries. The cuts are only
   * meaningful when the result exceeds {@code unitsPerPart}.
   *
   * @return the septets, or -1 if a character cannot be written in GSM-7 (then {@code cuts} is left partly written)
   */
  static int countAndCut(CharSequence text, int unitsPerPart, int[] cuts) {
    char[] chars = chars(text); // see encode: a text with an extension character such as the euro sign is UTF-16
    int n = chars.length;
    int total = 0;
    int count = 0;
    int i = 0;
    // A loop per part whose inner loop only counts and leaves at the character that does not fit: the same loop
    // with the cut recorded inside it (a store into cuts under a branch) compiled to code 2.5 times slower.
    while (true) {
      int used = 0;
      for (; i < n; i++) {
        int v = code(chars[i]);
        if (v < 0) {
          return -1;
        }
        int width = 1 + (v >>> 8);
        if (used + width > unitsPerPart) {
          break; // unitsPerPart >= 2, so an empty part always takes the character: the next part is never empty
        }
        used += width;
      }
      total += used;
      if (i == n) {
        break;
      }
      cuts[++count] = i;
    }
    cuts[0] = count;
    return total;
  }

  /**
   * The length {@link #countAndCut} needs for a text of {@code length} characters: every part but the last holds at
   * least {@code unitsPerPart - 1} septets and a character takes at most 2.
   */
  static int cutsCapacity(int length, int unitsPerPart) {
    return 2 + (int) (2L * length / (unitsPerPart - 1));
  }

  /**
   * Encodes {@code text} as unpacked septets (one a byte).
   *
   * @throws IllegalArgumentException if a character is not in the GSM 03.38 tables (check with {@link #canEncode})
   */
  public static byte[] encode(CharSequence text) {
    // The characters are first copied out in bulk (String.getChars is an intrinsic): a loop over a char[] ran about
    // twice as fast as one calling charAt, whose index checks stay in the loop, on a UTF-16 string (any text with a
    // character above U+00FF: the euro sign, Greek capitals), and no slower on a Latin-1 one. Then one pass into a
    // plain array sized for the common case of no escapes; the first escape moves the rest to encodeEscaped.
    char[] chars = chars(text);
    int n = chars.length;
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      int v = code(chars[i]);
      if (v >>> 8 != 0) { // an escape (0x100 set) or no septet (-1)
        return encodeEscaped(chars, i, out);
      }
      out[i] = (byte) v;
    }
    return out;
  }

  /** The characters of {@code text}, copied in bulk where the type allows. */
  private static char[] chars(CharSequence text) {
    int n = text.length();
    char[] chars = new char[n];
    if (text instanceof String s) {
      s.getChars(0, n, chars, 0);
    } else if (text instanceof StringBuilder sb) {
      sb.getChars(0, n, chars, 0);
    } else {
      for (int i = 0; i < n; i++) {
        chars[i] = text.charAt(i);
      }
    }
    return chars;
  }

  /**
   * Encodes {@code chars} from index {@code from} on, after {@code from} one-septet characters already in
   * {@code head}. Writes into an array with room for two septets a character, without a branch per escape (the
   * escape byte is always stored and the index advances past it only when the character needs it), then trims.
   */
  private static byte[] encodeEscaped(char[] chars, int from, byte[] head) {
    int n = chars.length;
    long room = from + 2L * (n - from);
    if (room > MAX_ARRAY) {
      // Over a billion characters: size the array to the septets up to the end or the first character with none (a
      // write never goes past the last septet: the escape byte is stored only where a septet follows).
      long septets = from;
      for (int i = from; i < n; i++) {
        int v = code(chars[i]);
        if (v < 0) {
          break;
        }
        septets += 1 + (v >>> 8);
      }
      room = Math.min(septets, MAX_ARRAY);
    }
    byte[] out = Arrays.copyOf(head, (int) room);
    int j = from;
    for (int i = from; i < n; i++) {
      int v = code(chars[i]);
      if (v < 0) {
        throw notInAlphabet(chars[i], i);
      }
      out[j] = ESCAPE;
      j += v >>> 8;
      out[j++] = (byte) v;
    }
    return j == out.length ? out : Arrays.copyOf(out, j);
  }

  private static IllegalArgumentException notInAlphabet(char c, int i) {
    return new IllegalArgumentException("character U+" + String.format("%04X", (int) c) + " at index " + i
        + " is not in the GSM 03.38 alphabet");
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
