package dev.smsgateway.spring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.HttpRequestHandler;

/**
 * Webhook endpoints of one kind (Twilio, SNS): URL path patterns and their handlers, mounted on the application's
 * Spring MVC server by {@link SmsWebhookAutoConfiguration}.
 *
 * <p>Immutable; thread-safe.
 */
public final class SmsWebhookEndpoints {

  private final Map<String, HttpRequestHandler> byPattern;

  /** @param byPattern path patterns ({@code /twilio/**}, {@code /sns/aws}) to their handlers */
  public SmsWebhookEndpoints(Map<String, HttpRequestHandler> byPattern) {
    this.byPattern = Collections.unmodifiableMap(new LinkedHashMap<>(byPattern));
  }

  /** The path patterns and their handlers. */
  public Map<String, HttpRequestHandler> endpoints() {
    return byPattern;
  }

  @Override
  public String toString() {
    return "SmsWebhookEndpoints" + byPattern.keySet();
  }
}
