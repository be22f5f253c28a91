package dev.smsgateway;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The sending identity of a business: a long code, a toll-free number, a short code or an alphanumeric sender id.
 * Business numbers are {@code Originator}s; customer numbers are always {@link PhoneNumber}s.
 *
 * <p>{@link #address()} is the value a provider puts on the wire: E.164 for long codes and toll-free numbers, the
 * digits for short codes, the text for sender ids. Two originators are equal when kind, address and country are.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what sort of identity this is
 * @param address E.164 text, short-code digits or sender-id text
 * @param country ISO 3166-1 alpha-2 country, required for short codes (they are only unique per country),
 *     otherwise may be null
 */
public record Originator(Kind kind, String address, String country) {

  /** The sorts of sending identity. Immutable and thread-safe. */
  public enum Kind {
    /** A regular (10-digit, geographic or mobile) number, in E.164. */
    LONG_CODE,
    /** A toll-free number, in E.164. */
    TOLL_FREE,
    /** A 3-8 digit short code, unique within one country. */
    SHORT_CODE,
    /** An alphanumeric sender id: 1-11 of {@code [A-Za-z0-9 ]}, not all digits (GSM 03.40 TP-OA). */
    ALPHANUMERIC
  }

  private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
  private static final Pattern SENDER_ID = Pattern.compile("[A-Za-z0-9 ]{1,11}");
  private static final Pattern ALL_DIGITS = Pattern.compile("[0-9 ]+");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  /** Validates the address against its kind. */
  public Originator {
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(address, "address == null");
    if (country != null) {
      country = country.toUpperCase(Locale.ROOT);
      if (!COUNTRY.matcher(country).matches()) {
        throw new SmsValidationException("originator.country", "is not an ISO 3166-1 alpha-2 code: '" + country + "'");
      }
    }
    switch (kind) {
      case LONG_CODE, TOLL_FREE -> {
        if (!PhoneNumber.isE164(address)) {
          throw new SmsValidationException("originator.address", "a " + kind + " must be E.164: " + PhoneNumbers.mask(address));
        }
      }
      case SHORT_CODE -> {
        if (!SHORT_CODE.matcher(address).matches()) {
          throw new SmsValidationException("originator.address", "a short code must be 3-8 digits: '" + address + "'");
        }
        if (country == null) {
          throw new SmsValidationException("originator.country", "is required for short code " + address);
        }
      }
      case ALPHANUMERIC -> {
        if (!SENDER_ID.matcher(address).matches()) {
          throw new SmsValidationException("originator.address",
              "an alphanumeric sender id must be 1-11 of [A-Za-z0-9 ]: '" + address + "'");
        }
        if (ALL_DIGITS.matcher(address).matches()) {
          throw new SmsValidationException("originator.address",
              "an alphanumeric sender id must not be all digits (use a short code or phone number): '" + address + "'");
        }
      }
    }
  }

  /** A long code. */
  public static Originator longCode(PhoneNumber number) {
    return new Originator(Kind.LONG_CODE, number.e164(), null);
  }

  /** A toll-free number. */
  public static Originator tollFree(PhoneNumber number) {
    return new Originator(Kind.TOLL_FREE, number.e164(), null);
  }

  /** A short code in {@code country} (ISO 3166-1 alpha-2). */
  public static Originator shortCode(String code, String country) {
    return new Originator(Kind.SHORT_CODE, code, country);
  }

  /** An alphanumeric sender id. */
  public static Originator alphanumeric(String senderId) {
    return new Originator(Kind.ALPHANUMERIC, senderId, null);
  }

  /**
   * Parses an address as a provider or a configuration file gives it: letters make a sender id, 3-8 digits a short
   * code in {@code defaultRegion}, anything else is normalized as a phone number (toll-free when libphonenumber says
   * so).
   *
   * @throws SmsValidationException naming the problem
   */
  public static Originator parse(String raw, String defaultRegion) {
    return parse(raw, defaultRegion, NumberCheck.LIBPHONENUMBER);
  }

  /**
   * Like {@link #parse(String, String)}, with {@code check} deciding how an address already in E.164 is checked
   * and classified ({@link NumberCheck#CALLING_CODE_LENGTH} never calls libphonenumber for it).
   *
   * @throws SmsValidationException naming the problem
   */
  public static Originator parse(String raw, String defaultRegion, NumberCheck check) {
    java.util.Objects.requireNonNull(check, "check == null");
    if (raw == null) {
      throw new SmsValidationException("originator", "is null");
    }
    String trimmed = raw.strip();
    if (trimmed.isEmpty()) {
      throw new SmsValidationException("originator", "is blank");
    }
    if (trimmed.chars().anyMatch(Character::isLetter)) {
      return alphanumeric(trimmed);
    }
    if (SHORT_CODE.matcher(trimmed).matches()) {
      if (defaultRegion == null) {
        throw new SmsValidationException("originator.country", "is required to read short code " + trimmed);
      }
      return shortCode(trimmed, defaultRegion);
    }
    return PhoneNumbers.originatorOf(trimmed, defaultRegion, check);
  }

  /** The phone number behind a long code or toll-free number; empty for short codes and sender ids. */
  public Optional<PhoneNumber> phoneNumber() {
    return kind == Kind.LONG_CODE || kind == Kind.TOLL_FREE ? Optional.of(PhoneNumber.of(address)) : Optional.empty();
  }

  /** A stable text key for stores: the address, and the country for short codes ({@code 12345@US}). */
  public String key() {
    return kind == Kind.SHORT_CODE ? address + "@" + country : address;
  }

  /** Reads a {@link #key()} back. */
  public static Originator fromKey(String key) {
    Objects.requireNonNull(key, "key == null");
    int at = key.indexOf('@');
    if (at > 0) {
      return shortCode(key.substring(0, at), key.substring(at + 1));
    }
    if (PhoneNumber.isE164(key)) {
      return longCode(PhoneNumber.of(key));
    }
    return alphanumeric(key);
  }

  /** Phone numbers are masked; short codes and sender ids are public and shown as they are. */
  @Override
  public String toString() {
    return switch (kind) {
      case LONG_CODE, TOLL_FREE -> PhoneNumbers.mask(address);
      case SHORT_CODE -> address + "(" + country + ")";
      case ALPHANUMERIC -> address;
    };
  }
}
