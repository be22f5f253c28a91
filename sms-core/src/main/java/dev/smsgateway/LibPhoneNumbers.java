package dev.smsgateway;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one class of sms-core that calls libphonenumber, so that loading {@link PhoneNumbers} (for masking, or the
 * {@link NumberCheck#CALLING_CODE_LENGTH} check) loads no libphonenumber class and none of its metadata.
 */
final class LibPhoneNumbers {

  private static final Pattern PLAUSIBLE = Pattern.compile("[0-9+()./\\-\\s\\u00A0\\u2010-\\u2015\\uFF0B\\uFF10-\\uFF19]+");

  private LibPhoneNumbers() {}

  static void warmUp() {
    util().getExampleNumber("US");
  }

  static PhoneNumber normalize(String raw, String defaultRegion, String field) {
    return read(raw, defaultRegion, field).number(field);
  }

  static Originator originatorOf(String raw, String defaultRegion) {
    return read(raw, defaultRegion, "originator").originator();
  }

  /** {@link #normalize} without the cache: what the cache must give, for tests. */
  static PhoneNumber normalizeUncached(String raw, String defaultRegion, String field) {
    return compute(raw, defaultRegion, field).number(field);
  }

  /** {@link #originatorOf} without the cache: what the cache must give, for tests. */
  static Originator originatorOfUncached(String raw, String defaultRegion) {
    return compute(raw, defaultRegion, "originator").originator();
  }

  // ---- a bounded cache of recent results ----
  //
  // The same numbers come back again and again (a business number on every message, a customer's number on each
  // step of a conversation), and libphonenumber reads one in several microseconds. What libphonenumber says about a
  // text in a default region never changes, so the outcome (the E.164 number and the parsed number, or the reason it
  // was refused) is kept per (stripped text, default region as given), and a later call with the same two gives the
  // same number or the same error, with the caller's field name. Only outcomes of libphonenumber's own checks are
  // kept: the cheap checks before them (null, blank, unexpected characters, an unsupported default region) run on
  // every call that misses, and a hit means they passed for the same input. Direct-mapped: a slot per hash, the
  // newest outcome replaces an older one that collides; entries are immutable (except the lazily classified
  // originator, written once, racy but idempotent), so readers need no lock.

  private static final int CACHE_SLOTS = 1024;
  private static final Read[] CACHE = new Read[CACHE_SLOTS];

  private static Read read(String raw, String defaultRegion, String field) {
    if (raw == null) {
      throw new SmsValidationException(field, "is null");
    }
    String text = raw.strip();
    int slot = slot(text, defaultRegion);
    Read cached = CACHE[slot];
    if (cached != null && cached.text.equals(text) && java.util.Objects.equals(cached.region, defaultRegion)) {
      return cached;
    }
    Read read = compute(text, defaultRegion, field);
    CACHE[slot] = read;
    return read;
  }

  private static int slot(String text, String region) {
    int h = text.hashCode() * 31 + (region == null ? 0 : region.hashCode());
    return (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
  }

  /** Forgets every kept outcome, for tests. */
  static void clearCache() {
    java.util.Arrays.fill(CACHE, null);
  }

  /**
   * What libphonenumber said about {@code text} in {@code region}: the number, or the problem (the message after
   * the field name). Immutable but for {@link #originator}, computed on first use (the same value by any thread).
   */
  private static final class Read {
    final String text;
    final String region;
    final Phonenumber.PhoneNumber parsed;
    final PhoneNumber number;
    final String problem;
    private volatile Originator originator;

    Read(String text, String region, Phonenumber.PhoneNumber parsed, PhoneNumber number, String problem) {
      this.text = text;
      this.region = region;
      this.parsed = parsed;
      this.number = number;
      this.problem = problem;
    }

    PhoneNumber number(String field) {
      if (problem != null) {
        throw new SmsValidationException(field, problem);
      }
      return number;
    }

    Originator originator() {
      PhoneNumber n = number("originator");
      Originator o = originator;
      if (o == null) {
        o = util().getNumberType(parsed) == PhoneNumberType.TOLL_FREE ? Originator.tollFree(n) : Originator.longCode(n);
        originator = o;
      }
      return o;
    }
  }

  /**
   * Reads {@code raw} with libphonenumber. Throws for the checks made before libphonenumber (null, blank, unexpected
   * characters, an unsupported default region); returns libphonenumber's verdict, a number or a problem.
   */
  private static Read compute(String raw, String defaultRegion, String field) {
    if (raw == null) {
      throw new SmsValidationException(field, "is null");
    }
    String text = raw.strip();
    if (text.isEmpty()) {
      throw new SmsValidationException(field, "is blank");
    }
    if (!PLAUSIBLE.matcher(text).matches()) {
      throw new SmsValidationException(field, "is not a phone number (unexpected characters): " + PhoneNumbers.mask(text));
    }
    String region = defaultRegion == null ? null : PhoneNumbers.region(defaultRegion, "defaultRegion");
    Phonenumber.PhoneNumber parsed;
    try {
      parsed = util().parse(text, region == null ? "ZZ" : region);
    } catch (NumberParseException e) {
      String why = switch (e.getErrorType()) {
        case INVALID_COUNTRY_CODE -> region == null
            ? "has no valid country code (give it as +<country code>... or configure a default region)"
            : "has an invalid country code";
        case NOT_A_NUMBER -> "is not a phone number";
        case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "is too short";
        case TOO_LONG -> "is too long";
      };
      return refused(text, defaultRegion, why + ": " + PhoneNumbers.mask(text));
    }
    PhoneNumberUtil.ValidationResult possible = util().isPossibleNumberWithReason(parsed);
    String impossible = switch (possible) {
      case IS_POSSIBLE, IS_POSSIBLE_LOCAL_ONLY -> null;
      case INVALID_COUNTRY_CODE -> "has an invalid country code: ";
      case TOO_SHORT -> "is too short: ";
      case TOO_LONG -> "is too long: ";
      case INVALID_LENGTH -> "has an invalid length for its country: ";
    };
    if (impossible != null) {
      return refused(text, defaultRegion, impossible + PhoneNumbers.mask(text));
    }
    if (!util().isValidNumber(parsed)) {
      return refused(text, defaultRegion, "is not a valid number for its country: " + PhoneNumbers.mask(text));
    }
    String e164 = util().format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
    // libphonenumber accepts national numbers of up to 17 digits; E.164 (ITU-T E.164 section 6.1) allows 15.
    if (!PhoneNumber.isE164(e164)) {
      return refused(text, defaultRegion, "is too long for E.164 (more than 15 digits): " + PhoneNumbers.mask(text));
    }
    return new Read(text, defaultRegion, parsed, PhoneNumber.of(e164), null);
  }

  private static Read refused(String text, String region, String problem) {
    return new Read(text, region, null, null, problem);
  }

  /** {@code " (did you mean 'US'?)"} when {@code region} is the alpha-3 code of a supported region, else empty. */
  static String alpha2Hint(String region) {
    String hint = "";
    for (String supported : util().getSupportedRegions()) {
      try {
        if (new Locale("", supported).getISO3Country().equals(region)) {
          hint = " (did you mean '" + supported + "'?)";
          break;
        }
      } catch (java.util.MissingResourceException e) {
        // a region without an alpha-3 code (AC, TA, XK): it cannot be the one meant
      }
    }
    return hint;
  }

  private static PhoneNumberUtil util() {
    return PhoneNumberUtil.getInstance();
  }
}
