package dev.smsgateway.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.smsgateway.internal.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a {@link TwilioWebhookHandler} on the JDK's {@code com.sun.net.httpserver.HttpServer}.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", 8080), 0);
 * server.createContext("/twilio/", new TwilioHttpServerHandler(provider.webhookHandler(),
 *     URI.create("https://sms.example.com")));
 * server.setExecutor(Executors.newFixedThreadPool(8));
 * server.start();
 * }</pre>
 *
 * <p>The URL Twilio signed is rebuilt as the configured public base URL + the request's raw path and query, never
 * from the {@code Host} header, which a proxy rewrites and a client controls. Run the JVM with
 * {@code -Dsun.net.httpserver.nodelay=true}: without it the JDK server leaves Nagle's algorithm on and answers slowly
 * (about 181 requests/s in our measurements, see docs/performance.md). The JDK server has no request timeout by
 * default:
 * a client that stops sending holds a thread; set {@code -Dsun.net.httpserver.maxReqTime=30} (seconds) or put a
 * reverse proxy in front.
 *
 * <p>Thread-safe.
 */
public final class TwilioHttpServerHandler implements HttpHandler {

  private final TwilioWebhookHandler handler;
  private final String publicBaseUrl;
  private volatile LastUrl last;

  private static final String TWIML_TYPE = WebhookResponse.twiml().headers().get("Content-Type");
  private static final byte[] TWIML_BYTES = WebhookResponse.twiml().body().getBytes(StandardCharsets.UTF_8);

  /**
   * @param handler the webhook handler
   * @param publicBaseUrl the scheme, host, port and path prefix Twilio calls, for example
   *     {@code https://sms.example.com}; the request path is appended to it
   */
  public TwilioHttpServerHandler(TwilioWebhookHandler handler, URI publicBaseUrl) {
    this.handler = Objects.requireNonNull(handler, "handler == null");
    String base = TwilioWebhookUrls.checkBase(publicBaseUrl, "publicBaseUrl").toString();
    this.publicBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String url = url(exchange.getRequestURI());
      // The body stream is not closed before the response is sent: closing it drains the unread rest of the body,
      // which for a 413 would mean waiting for (and reading) the very bytes the cap refuses.
      InputStream body = exchange.getRequestBody();
      WebhookResponse response = handler.handle(exchange.getRequestMethod(), url, exchange.getRequestHeaders(), body);
      byte[] bytes;
      if (response == WebhookResponse.twiml()) { // the usual answer: its bytes encoded once
        bytes = TWIML_BYTES;
        exchange.getResponseHeaders().set("Content-Type", TWIML_TYPE);
      } else {
        bytes = response.body().getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
          exchange.getResponseHeaders().set(h.getKey(), h.getValue());
        }
      }
      if (response.status() == 413 || response.status() == 400) {
        // The rest of an oversized or unreadable body is not read: close the connection rather than drain it.
        exchange.getResponseHeaders().set("Connection", "close");
      }
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /**
   * The public base URL + the request's raw path and query. The last one is kept: a context receives the same URL
   * again and again (inbound messages carry no query), and the signature check keeps the bytes of the same URL.
   */
  private String url(URI requestUri) {
    String path = requestUri.getRawPath() == null ? "" : requestUri.getRawPath();
    String query = requestUri.getRawQuery();
    LastUrl last = this.last;
    if (last != null && last.path.equals(path) && Objects.equals(last.query, query)) {
      return last.url;
    }
    String url = publicBaseUrl + path + (query == null ? "" : "?" + query);
    this.last = new LastUrl(path, query, url);
    return url;
  }

  private record LastUrl(String path, String query, String url) {}

  @Override
  public String toString() {
    // The base may carry HTTP basic credentials (https://user:password@host), which Twilio supports on webhooks.
    return "TwilioHttpServerHandler{base=" + Redaction.text(publicBaseUrl) + "}";
  }
}
