package dev.smsgateway.spring;

import dev.smsgateway.twilio.TwilioWebhookHandler;
import dev.smsgateway.twilio.WebhookResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves a Twilio provider's {@link TwilioWebhookHandler} (inbound messages and status callbacks) on the application's
 * Spring MVC server. The URL Twilio signed is rebuilt as the provider's public base URL + the request's raw path below
 * the mount path + its query, never from the {@code Host} header (which a proxy rewrites and a client controls): the
 * same rule as the library's {@code TwilioHttpServerHandler}. Method, size, content-type and signature checks are the
 * handler's, unchanged.
 *
 * <p>Thread-safe.
 */
final class TwilioServletWebhook implements HttpRequestHandler {

  private final TwilioWebhookHandler handler;
  private final String publicBaseUrl;
  private final String mountPath;

  /**
   * @param handler the provider's webhook handler
   * @param publicBaseUrl what Twilio calls in front of the mount path, for example {@code https://sms.example.com}
   * @param mountPath the local path that {@code publicBaseUrl} points to ({@code ""} for the root)
   */
  TwilioServletWebhook(TwilioWebhookHandler handler, URI publicBaseUrl, String mountPath) {
    this.handler = Objects.requireNonNull(handler, "handler == null");
    String base = publicBaseUrl.toString();
    this.publicBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.mountPath = mountPath;
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String query = request.getQueryString();
    String url = publicBaseUrl + ServletWebhooks.pathBelow(request, mountPath) + (query == null ? "" : "?" + query);
    WebhookResponse answer = handler.handle(request.getMethod(), url, ServletWebhooks.headers(request),
        request.getInputStream());
    ServletWebhooks.write(response, answer.status(), answer.headers(), answer.body(),
        answer.status() == 413 || answer.status() == 400);
  }

  @Override
  public String toString() {
    return "TwilioServletWebhook{mount=" + mountPath + "}";
  }
}
