package dev.smsgateway.spring;

import dev.smsgateway.eum.SnsWebhookHandler;
import dev.smsgateway.eum.WebhookResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves an EUM provider's {@link SnsWebhookHandler} (two-way SMS and delivery events from SNS) on the application's
 * Spring MVC server, as the library's JDK {@code HttpServer} adapter does: an oversized body is refused from its
 * Content-Length before a byte is read and the connection closed; the signature, topic, replay and certificate checks
 * are the handler's, unchanged.
 *
 * <p>Thread-safe.
 */
final class SnsServletWebhook implements HttpRequestHandler {

  private static final Logger log = LoggerFactory.getLogger(SnsServletWebhook.class);

  private final SnsWebhookHandler handler;
  private final int maxBodyBytes;

  SnsServletWebhook(SnsWebhookHandler handler, int maxBodyBytes) {
    this.handler = Objects.requireNonNull(handler, "handler == null");
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
    boolean oversized = request.getContentLengthLong() > maxBodyBytes;
    WebhookResponse answer;
    try (InputStream body = request.getInputStream()) {
      answer = handler.handle(request.getMethod(), URI.create(request.getRequestURI()),
          ServletWebhooks.headers(request), body);
      oversized |= answer.status() == 413;
    } catch (RuntimeException e) {
      log.error("SNS handler failed", e);
      answer = new WebhookResponse(500, Map.of("Content-Type", "text/plain; charset=utf-8"), "internal error");
    }
    ServletWebhooks.write(response, answer.status(), answer.headers(), answer.body(), oversized);
  }

  @Override
  public String toString() {
    return "SnsServletWebhook{maxBodyBytes=" + maxBodyBytes + "}";
  }
}
