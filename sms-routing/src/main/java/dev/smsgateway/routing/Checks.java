package dev.smsgateway.routing;

import dev.smsgateway.SmsValidationException;
import java.time.Duration;
import java.util.regex.Pattern;

/** Validation helpers: every failure names the field and the value. */
final class Checks {

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private Checks() {}

  static String required(String field, String value) {
    if (value == null) {
      throw new SmsValidationException(field, "is required");
    }
    if (value.isBlank()) {
      throw new SmsValidationException(field, "is blank");
    }
    return value.strip();
  }

  static String code(String field, String value) {
    String v = required(field, value);
    if (!CODE.matcher(v).matches()) {
      throw new SmsValidationException(field,
          "must be 1-64 of [A-Za-z0-9_.-] starting with a letter or digit: '" + abbreviate(v) + "'");
    }
    return v;
  }

  static String text(String field, String value, int maxLength) {
    String v = required(field, value);
    if (v.length() > maxLength) {
      throw new SmsValidationException(field, "is too long: " + v.length() + " > " + maxLength + " characters");
    }
    return v;
  }

  static String optionalText(String field, String value, int maxLength) {
    return value == null ? null : text(field, value, maxLength);
  }

  static Duration durationBetween(String field, Duration value, Duration min, Duration max) {
    if (value == null) {
      throw new SmsValidationException(field, "is required");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new SmsValidationException(field, "must be between " + human(min) + " and " + human(max) + ": " + human(value));
    }
    return value;
  }

  static String human(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() % 86_400_000L == 0) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % 3_600_000L == 0) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 60_000L == 0) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000L == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }

  static String abbreviate(String v) {
    return v.length() <= 64 ? v : v.substring(0, 61) + "...";
  }
}
