package dev.smsgateway.eum;

import java.util.Map;
import java.util.Objects;

/**
 * What to answer an HTTP request that {@link SnsWebhookHandler} handled: status, headers and a short text body. Any
 * web framework can write it out; {@link SnsWebhookHandler#httpHandler()} does so for the JDK's HTTP server.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the HTTP status: 2xx taken (or a duplicate), 4xx refused for good (SNS does not retry), 5xx not
 *     taken now (SNS retries by the topic's delivery policy)
 * @param headers response headers
 * @param body a short plain-text reason; never a secret, a message body or a whole phone number
 */
public record WebhookResponse(int status, Map<String, String> headers, String body) {

  private static final Map<String, String> TEXT = Map.of("Content-Type", "text/plain; charset=utf-8");

  /** Checks and copies. */
  public WebhookResponse {
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers == null"));
    Objects.requireNonNull(body, "body == null");
  }

  static WebhookResponse text(int status, String body) {
    return new WebhookResponse(status, TEXT, body);
  }
}
