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
    return PhoneNumber.of(format(parse(raw, defaultRegion, field), raw, field));
  }

  static Originator originatorOf(String raw, String defaultRegion) {
    Phonenumber.PhoneNumber parsed = parse(raw, defaultRegion, "originator");
    PhoneNumber number = PhoneNumber.of(format(parsed, raw, "originator"));
    return util().getNumberType(parsed) == PhoneNumberType.TOLL_FREE ? Originator.tollFree(number) : Originator.longCode(number);
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

  private static Phonenumber.PhoneNumber parse(String raw, String defaultRegion, String field) {
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
      throw new SmsValidationException(field, why + ": " + PhoneNumbers.mask(text));
    }
    PhoneNumberUtil.ValidationResult possible = util().isPossibleNumberWithReason(parsed);
    switch (possible) {
      case IS_POSSIBLE, IS_POSSIBLE_LOCAL_ONLY -> { }
      case INVALID_COUNTRY_CODE -> throw new SmsValidationException(field, "has an invalid country code: " + PhoneNumbers.mask(text));
      case TOO_SHORT -> throw new SmsValidationException(field, "is too short: " + PhoneNumbers.mask(text));
      case TOO_LONG -> throw new SmsValidationException(field, "is too long: " + PhoneNumbers.mask(text));
      case INVALID_LENGTH -> throw new SmsValidationException(field, "has an invalid length for its country: " + PhoneNumbers.mask(text));
    }
    if (!util().isValidNumber(parsed)) {
      throw new SmsValidationException(field, "is not a valid number for its country: " + PhoneNumbers.mask(text));
    }
    return parsed;
  }

  private static String format(Phonenumber.PhoneNumber parsed, String raw, String field) {
    String e164 = util().format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
    // libphonenumber accepts national numbers of up to 17 digits; E.164 (ITU-T E.164 section 6.1) allows 15.
    if (!PhoneNumber.isE164(e164)) {
      throw new SmsValidationException(field, "is too long for E.164 (more than 15 digits): " + PhoneNumbers.mask(raw.strip()));
    }
    return e164;
  }

  private static PhoneNumberUtil util() {
    return PhoneNumberUtil.getInstance();
  }
}
