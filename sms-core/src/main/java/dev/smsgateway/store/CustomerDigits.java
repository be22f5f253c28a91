package dev.smsgateway.store;

import dev.smsgateway.PhoneNumber;

/** The in-memory stores' key for a customer: the E.164 digits as a {@code long}. */
final class CustomerDigits {

  private CustomerDigits() {}

  /**
   * {@code +14155550100} as {@code 14155550100}: unique and reversible, because E.164 has at most 15 digits and no
   * leading zero. A plain loop over the digits {@link PhoneNumber} has already checked; {@code Long.parseLong} on a
   * range goes through {@code CharSequence} and {@code Character.digit} per character, several times slower, on
   * every lookup.
   */
  static long of(PhoneNumber number) {
    String e164 = number.e164();
    long value = 0;
    for (int i = 1, n = e164.length(); i < n; i++) {
      value = value * 10 + (e164.charAt(i) - '0');
    }
    return value;
  }
}
