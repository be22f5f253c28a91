package dev.smsgateway.eum;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link SnsWebhookHandler} on the JDK's {@code com.sun.net.httpserver.HttpServer}. An oversized body is
 * refused from its Content-Length before a byte is read, and the connection is closed so that the rest is never
 * buffered.
 *
 * <p>Thread-safe.
 */
final class SnsHttpServerAdapter implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(SnsHttpServerAdapter.class);

  private final SnsWebhookHandler handler;
  private final int maxBodyBytes;

  SnsHttpServerAdapter(SnsWebhookHandler handler, int maxBodyBytes) {
    this.handler = handler;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      WebhookResponse response;
      boolean oversized = declaredLength(exchange) > maxBodyBytes;
      try (InputStream body = exchange.getRequestBody()) {
        response = handler.handle(exchange.getRequestMethod(), exchange.getRequestURI(),
            exchange.getRequestHeaders(), body);
        oversized |= response.status() == 413;
      } catch (RuntimeException e) {
        log.error("SNS handler failed", e);
        response = WebhookResponse.text(500, "internal error");
      }
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        exchange.getResponseHeaders().set(h.getKey(), h.getValue());
      }
      if (oversized) {
        // Do not drain an oversized body to keep the connection alive: close it.
        exchange.getResponseHeaders().set("Connection", "close");
      }
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private static long declaredLength(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst("Content-Length");
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
