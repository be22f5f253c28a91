package dev.smsgateway;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalizes phone numbers to E.164 with libphonenumber, and masks them for logs.
 *
 * <p>Input that is already E.164 and valid costs one libphonenumber parse; call {@link PhoneNumber#of(String)}
 * instead for numbers a provider delivered, which skips libphonenumber entirely. libphonenumber loads its metadata
 * on first use (about 100 ms): call {@link #warmUp()} at start-up. What libphonenumber said about recent inputs (the
 * number, or why it was refused) is kept in a bounded cache of 1,024 entries per JVM, keyed by the stripped input and
 * the default region as given, so a number that comes back (a business number on every message) is read once; a
 * result from the cache is the same number, or the same error with the caller's field name, as a fresh read.
 *
 * <p>Thread-safe (the cache takes no lock; libphonenumber's {@code PhoneNumberUtil} is thread-safe). Loading this
 * class loads no libphonenumber class: that happens on the first number libphonenumber has to read.
 */
public final class PhoneNumbers {

  private static final Pattern REGION = Pattern.compile("[A-Z]{2}");

  private PhoneNumbers() {}

  /** Loads libphonenumber's metadata now rather than on the first message. */
  public static void warmUp() {
    LibPhoneNumbers.warmUp();
  }

  /**
   * Normalizes {@code raw} to E.164, reading national formats in {@code defaultRegion}.
   *
   * @param raw what a person or system typed: {@code (415) 555-0100}, {@code 00 44 20 7946 0958}, {@code +1.415...}
   * @param defaultRegion ISO 3166-1 alpha-2 region for numbers without a country code; may be null when every input
   *     is international
   * @throws SmsValidationException naming the field {@code phoneNumber}, the reason (blank, not a number, bad
   *     country code, too short, too long, not a valid number) and the input masked
   */
  public static PhoneNumber normalize(String raw, String defaultRegion) {
    return normalize(raw, defaultRegion, "phoneNumber");
  }

  /** Like {@link #normalize} but reports {@code field} as the failing field name. */
  public static PhoneNumber normalize(String raw, String defaultRegion, String field) {
    return LibPhoneNumbers.normalize(raw, defaultRegion, field);
  }

  /**
   * Like {@link #normalize(String, String, String)}, with {@code check} deciding how input that is already E.164 is
   * checked ({@link NumberCheck#CALLING_CODE_LENGTH} never calls libphonenumber for it).
   *
   * @throws SmsValidationException naming {@code field}, as {@link #normalize(String, String, String)} does
   */
  public static PhoneNumber normalize(String raw, String defaultRegion, String field, NumberCheck check) {
    String light = check == NumberCheck.CALLING_CODE_LENGTH ? lightE164(raw, field) : null;
    return light != null ? PhoneNumber.of(light) : normalize(raw, defaultRegion, field);
  }

  /** {@code raw} stripped when it is E.164 and passes {@link CallingCodes}; null when it is not E.164 at all. */
  private static String lightE164(String raw, String field) {
    if (raw == null) {
      return null;
    }
    String text = raw.strip();
    if (!PhoneNumber.isE164(text)) {
      return null;
    }
    String problem = CallingCodes.problem(text);
    if (problem != null) {
      throw new SmsValidationException(field, problem + ": " + mask(text));
    }
    return text;
  }

  static Originator originatorOf(String raw, String defaultRegion, NumberCheck check) {
    String light = check == NumberCheck.CALLING_CODE_LENGTH ? lightE164(raw, "originator") : null;
    if (light == null) {
      return originatorOf(raw, defaultRegion);
    }
    PhoneNumber number = PhoneNumber.of(light);
    return CallingCodes.nanpTollFree(light) ? Originator.tollFree(number) : Originator.longCode(number);
  }

  static Originator originatorOf(String raw, String defaultRegion) {
    return LibPhoneNumbers.originatorOf(raw, defaultRegion);
  }

  /**
   * {@code raw} as a region libphonenumber supports, upper case ({@code "us"} gives {@code "US"}).
   *
   * @throws SmsValidationException naming {@code field} when it is not one, with the alpha-2 code meant when
   *     {@code raw} is an ISO 3166-1 alpha-3 code ({@code "USA"})
   */
  static String region(String raw, String field) {
    String region = raw.strip().toUpperCase(Locale.ROOT);
    if (REGION.matcher(region).matches() && CallingCodes.REGIONS.contains(region)) {
      return region;
    }
    String hint = LibPhoneNumbers.alpha2Hint(region);
    throw new SmsValidationException(field, "is not a supported ISO 3166-1 alpha-2 region: '" + raw + "'" + hint);
  }

  /**
   * Whether {@code region} (upper case) is an ISO 3166-1 alpha-2 region libphonenumber supports, from a table in the
   * library (no libphonenumber call).
   */
  public static boolean isSupportedRegion(String region) {
    return region != null && CallingCodes.REGIONS.contains(region);
  }

  /**
   * Masks a number for logs: keeps the first 5 and last 2 characters of 10 or more, fewer of shorter input, and
   * replaces the rest with {@code *}. Null gives {@code "null"}.
   */
  public static String mask(String number) {
    if (number == null) {
      return "null";
    }
    int n = number.length();
    if (n <= 4) {
      return "*".repeat(n);
    }
    int head = n >= 10 ? 5 : 2;
    int tail = 2;
    StringBuilder sb = new StringBuilder(n);
    sb.append(number, 0, head);
    sb.append("*".repeat(n - head - tail));
    sb.append(number, n - tail, n);
    return sb.toString();
  }
}
