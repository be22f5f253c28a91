package dev.smsgateway.routing;

import dev.smsgateway.SmsValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Amazon Connect's documented limits for StartChatContact and StartOutboundChatContact (Amazon Connect API Reference),
 * checked before any request leaves.
 */
final class ContactLimits {

  /** ChatDurationInMinutes: minimum 60, maximum 10,080 (7 days). */
  static final int MIN_CHAT_MINUTES = 60;
  static final int MAX_CHAT_MINUTES = 10_080;
  /** ChatMessage Content of InitialMessage / InitialSystemMessage: 1 to 1,024 characters. */
  static final int MAX_INITIAL_MESSAGE = 1024;
  /** ParticipantDetails DisplayName: 1 to 256 characters. */
  static final int MAX_DISPLAY_NAME = 256;
  /** ClientToken: at most 500 characters. */
  static final int MAX_CLIENT_TOKEN = 500;
  /** Attributes: up to 32,768 UTF-8 bytes across all keys and values; keys alphanumeric, dash and underscore. */
  static final int MAX_ATTRIBUTE_BYTES = 32_768;
  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_-]{1,32767}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_:/.-]{1,500}");

  private ContactLimits() {}

  static void chatDuration(String field, Duration d) {
    if (d == null) {
      return;
    }
    long minutes = d.toMinutes();
    if (!d.equals(Duration.ofMinutes(minutes)) || minutes < MIN_CHAT_MINUTES || minutes > MAX_CHAT_MINUTES) {
      throw new SmsValidationException(field, "must be whole minutes from " + MIN_CHAT_MINUTES + " to "
          + MAX_CHAT_MINUTES + " (Amazon Connect ChatDurationInMinutes): " + Checks.human(d));
    }
  }

  static void attributes(String field, Map<String, String> attributes) {
    long bytes = 0;
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (!ATTRIBUTE_KEY.matcher(e.getKey()).matches()) {
        throw new SmsValidationException(field + "[" + Checks.abbreviate(e.getKey()) + "]",
            "is not a valid Amazon Connect attribute name (letters, digits, - and _ only)");
      }
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_ATTRIBUTE_BYTES) {
      throw new SmsValidationException(field, "are too large: " + bytes + " > " + MAX_ATTRIBUTE_BYTES
          + " UTF-8 bytes across all keys and values");
    }
  }

  static String id(String field, String value) {
    String v = Checks.required(field, value);
    if (!ID.matcher(v).matches()) {
      throw new SmsValidationException(field, "is not an Amazon Connect id or ARN: '" + Checks.abbreviate(v) + "'");
    }
    return v;
  }

  static String clientToken(String field, String value) {
    if (value == null) {
      return null;
    }
    String v = Checks.required(field, value);
    if (v.length() > MAX_CLIENT_TOKEN) {
      throw new SmsValidationException(field, "is too long: " + v.length() + " > " + MAX_CLIENT_TOKEN + " characters");
    }
    return v;
  }

  /** The first {@code max} characters, never ending in the first half of a surrogate pair. */
  static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end);
  }
}
