package dev.smsgateway;

import java.util.Objects;

/**
 * A phone number in E.164 form ({@code +} followed by 2 to 15 digits, no leading zero after the plus).
 *
 * <p>Create one from trusted E.164 text with {@link #of(String)}, or from anything a person typed with
 * {@link PhoneNumbers#normalize(String, String)}. {@link #toString()} masks the number so that it can be
 * logged; use {@link #e164()} for the full value.
 *
 * <p>Immutable and thread-safe.
 *
 * @param e164 the number in E.164 form, for example {@code +14155550100}
 */
public record PhoneNumber(String e164) implements Comparable<PhoneNumber> {

  /** Validates the E.164 syntax; never calls libphonenumber. */
  public PhoneNumber {
    Objects.requireNonNull(e164, "e164 == null");
    if (!isE164(e164)) {
      throw new SmsValidationException("phoneNumber", "is not E.164 (expected + and 2-15 digits): " + PhoneNumbers.mask(e164));
    }
  }

  /**
   * Returns the number for text that is already E.164. This is a plain syntax check (about 10 ns), meant for
   * numbers that come from a provider; use {@link PhoneNumbers#normalize} for user input.
   *
   * @throws SmsValidationException if {@code e164} is not E.164
   */
  public static PhoneNumber of(String e164) {
    return new PhoneNumber(e164);
  }

  /** Returns true if {@code text} is syntactically E.164. */
  public static boolean isE164(String text) {
    // ITU-T E.164 section 6.1: at most 15 digits; country codes never start with 0. A loop, not a regular
    // expression: this runs on every message a provider hands over, and a Matcher costs an allocation per call.
    if (text == null) {
      return false;
    }
    int length = text.length();
    if (length < 3 || length > 16 || text.charAt(0) != '+' || text.charAt(1) < '1' || text.charAt(1) > '9') {
      return false;
    }
    for (int i = 2; i < length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The digits without the leading plus, as SMPP and most carriers expect them. */
  public String digits() {
    return e164.substring(1);
  }

  /** The masked form used in logs, for example {@code +1415*****00}. */
  public String masked() {
    return PhoneNumbers.mask(e164);
  }

  @Override
  public int compareTo(PhoneNumber other) {
    return e164.compareTo(other.e164);
  }

  /** Masked, so that numbers never reach logs in full. */
  @Override
  public String toString() {
    return masked();
  }
}
