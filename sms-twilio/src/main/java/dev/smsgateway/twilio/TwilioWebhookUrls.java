package dev.smsgateway.twilio;

import dev.smsgateway.SmsValidationException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The webhook URLs to configure in Twilio, derived from the application's public base URL: one inbound URL per mapping
 * ({@code <base>/twilio/inbound/<mapping code>}, set as the number's "A message comes in" webhook) and one status
 * callback URL ({@code <base>/twilio/status}, which the provider sends with each message). An admin screen shows
 * {@link #inbound} per mapping.
 *
 * <p>Thread-safe (stateless).
 */
public final class TwilioWebhookUrls {

  /** The query parameter carrying our message id on status callback URLs. */
  public static final String MESSAGE_ID_PARAM = "messageId";

  static final String INBOUND_SEGMENT = "/twilio/inbound/";
  static final String STATUS_PATH = "/twilio/status";
  private static final Pattern MAPPING_CODE = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

  private TwilioWebhookUrls() {}

  /**
   * The inbound-message webhook URL of a mapping.
   *
   * @param publicBaseUrl the public https URL under which the application's webhook server is reached, for example
   *     {@code https://sms.example.com/hooks}; no query or fragment
   * @param mappingCode the mapping's code: 1-64 of {@code [A-Za-z0-9._~-]}
   * @throws SmsValidationException naming the bad argument
   */
  public static URI inbound(URI publicBaseUrl, String mappingCode) {
    Objects.requireNonNull(mappingCode, "mappingCode == null");
    if (!MAPPING_CODE.matcher(mappingCode).matches()) {
      throw new SmsValidationException("mappingCode", "must be 1-64 of [A-Za-z0-9._~-]: '" + mappingCode + "'");
    }
    return URI.create(base(publicBaseUrl) + INBOUND_SEGMENT + mappingCode);
  }

  /** The status-callback URL (without a message id). */
  public static URI status(URI publicBaseUrl) {
    return URI.create(base(publicBaseUrl) + STATUS_PATH);
  }

  /** The status-callback URL carrying our message id, so that reports correlate even before the send returned. */
  public static URI status(URI publicBaseUrl, String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return URI.create(base(publicBaseUrl) + STATUS_PATH + "?" + MESSAGE_ID_PARAM + "="
        + URLEncoder.encode(messageId, StandardCharsets.UTF_8));
  }

  /** Appends our message id to a configured status callback URL. */
  static URI withMessageId(URI statusCallback, String messageId) {
    String s = statusCallback.toString();
    return URI.create(s + (s.indexOf('?') < 0 ? "?" : "&") + MESSAGE_ID_PARAM + "="
        + URLEncoder.encode(messageId, StandardCharsets.UTF_8));
  }

  /** Checks a public base URL: absolute http(s), no query, no fragment. */
  static URI checkBase(URI publicBaseUrl, String field) {
    Objects.requireNonNull(publicBaseUrl, field + " == null");
    String scheme = publicBaseUrl.getScheme() == null ? "" : publicBaseUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new SmsValidationException(field, "must be an absolute http(s) URL: '" + publicBaseUrl + "'");
    }
    if (publicBaseUrl.getRawAuthority() == null || publicBaseUrl.getRawQuery() != null
        || publicBaseUrl.getRawFragment() != null) {
      throw new SmsValidationException(field, "must have a host and no query or fragment: '" + publicBaseUrl + "'");
    }
    return publicBaseUrl;
  }

  private static String base(URI publicBaseUrl) {
    String s = checkBase(publicBaseUrl, "publicBaseUrl").toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The mapping code of an inbound URL, or null. */
  static String mappingCodeOf(String url) {
    int i = url.indexOf(INBOUND_SEGMENT);
    if (i < 0) {
      return null;
    }
    int start = i + INBOUND_SEGMENT.length();
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    if (end == start || end - start > 64) {
      return null;
    }
    for (int c = start; c < end; c++) { // MAPPING_CODE, without a Matcher per request
      char ch = url.charAt(c);
      if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.'
          || ch == '_' || ch == '~' || ch == '-')) {
        return null;
      }
    }
    return url.substring(start, end);
  }
}
