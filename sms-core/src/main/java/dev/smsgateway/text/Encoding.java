package dev.smsgateway.text;

/**
 * The two alphabets every handset reads (3GPP TS 23.038).
 *
 * <p>Immutable and thread-safe.
 */
public enum Encoding {
  /** The GSM 03.38 default alphabet, 7 bits a character; extension-table characters take two. 160 / 153 a part. */
  GSM7(160, 153),
  /** UCS-2 (UTF-16 code units on the wire), 16 bits a unit; characters outside the BMP take two. 70 / 67 a part. */
  UCS2(70, 67);

  private final int singleLimit;
  private final int multipartLimit;

  Encoding(int singleLimit, int multipartLimit) {
    this.singleLimit = singleLimit;
    this.multipartLimit = multipartLimit;
  }

  /** Units (septets or UTF-16 units) that fit in a message of one part. */
  public int singleLimit() {
    return singleLimit;
  }

  /** Units a part holds when a message needs several, after the 6-byte concatenation header (3GPP TS 23.040 9.2.3.24.1). */
  public int multipartLimit() {
    return multipartLimit;
  }
}
