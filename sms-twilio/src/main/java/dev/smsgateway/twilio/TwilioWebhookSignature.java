package dev.smsgateway.twilio;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Twilio's request signature for form-encoded webhooks, for handlers outside this module (the Conversations webhook
 * of sms-twilio-flex): the same check {@link TwilioWebhookHandler} makes. {@code X-Twilio-Signature} is
 * Base64(HMAC-SHA1(auth token, url + the parameters sorted by name, each as name + value)); a signature over the URL
 * as given, without its port, or with the scheme's default port is accepted, each comparison constant-time.
 *
 * <p>Immutable and thread-safe.
 */
public final class TwilioWebhookSignature {

  private final TwilioSignature signature;

  private TwilioWebhookSignature(List<String> authTokens) {
    this.signature = new TwilioSignature(authTokens);
  }

  /**
   * @param authTokens the current auth token, then any secondary one still valid during a rotation
   * @throws IllegalArgumentException when there is none, or one is blank
   */
  public static TwilioWebhookSignature of(List<String> authTokens) {
    Objects.requireNonNull(authTokens, "authTokens == null");
    for (String t : authTokens) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("authTokens: a token is blank");
      }
    }
    return new TwilioWebhookSignature(List.copyOf(authTokens));
  }

  /** Whether {@code signature} signs this form request (parameters in any order, repeated names allowed). */
  public boolean validForm(String url, List<Map.Entry<String, String>> params, String signature) {
    return this.signature.validForm(Objects.requireNonNull(url, "url == null"), params, signature);
  }

  /** The signature Twilio would send for this request, with the first token: for stand-ins and tests. */
  public String sign(String url, List<Map.Entry<String, String>> params) {
    return signature.sign(url, params);
  }

  /**
   * Parses an {@code application/x-www-form-urlencoded} body strictly.
   *
   * @throws IllegalArgumentException on a bad percent escape, invalid UTF-8, or more than {@code maxParams} parameters
   */
  public static List<Map.Entry<String, String>> parseForm(String body, int maxParams) {
    return FormData.parse(Objects.requireNonNull(body, "body == null"), maxParams);
  }

  @Override
  public String toString() {
    return "TwilioWebhookSignature{" + signature + "}";
  }
}
