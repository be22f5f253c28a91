package dev.smsgateway.twilio;

import java.util.Map;
import java.util.Objects;

/**
 * What a webhook handler answers: an HTTP status, headers and a small text body. Write them to whatever HTTP server
 * the application runs.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the HTTP status code
 * @param headers response headers, {@code Content-Type} included
 * @param body the body text (UTF-8 on the wire); empty for none
 */
public record WebhookResponse(int status, Map<String, String> headers, String body) {

  /** Copies the headers. */
  public WebhookResponse {
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers == null"));
    Objects.requireNonNull(body, "body == null");
  }

  static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

  /** Immutable, so one for every message taken. */
  private static final WebhookResponse TWIML = new WebhookResponse(200, Map.of("Content-Type",
      "text/xml; charset=utf-8"), EMPTY_TWIML);

  static WebhookResponse twiml() {
    return TWIML;
  }

  static WebhookResponse error(int status, String reason) {
    return new WebhookResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8"), reason);
  }

  static WebhookResponse error(int status, String reason, Map<String, String> extra) {
    java.util.Map<String, String> h = new java.util.HashMap<>(extra);
    h.put("Content-Type", "text/plain; charset=utf-8");
    return new WebhookResponse(status, h, reason);
  }
}
