package dev.smsgateway.benchmarks.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor of the Twilio webhook benchmark's goal: the least that "signature + parse + route" can be on the JDK
 * {@code HttpServer}, written plainly, so that the real handler's ratio to the empty handler can be read beside the
 * floor's in the same run. Per request it:
 *
 * <ol>
 *   <li>reads exactly {@code Content-Length} bytes of the body (as the empty handler and the real adapter do);
 *   <li>splits the form body on {@code &} and {@code =} and percent-decodes each name and value
 *       ({@link URLDecoder}, which returns its input when there is nothing to decode);
 *   <li>checks {@code X-Twilio-Signature}: HMAC-SHA1 with the auth token over the public base URL + the request's raw
 *       path, then the parameters sorted by name, each as name + value (javax.crypto directly, a {@link Mac} kept
 *       keyed per thread, fed each part's UTF-8), Base64 and a constant-time comparison; a mismatch is a 403;
 *   <li>reads the fields a route needs ({@code MessageSid}, {@code From}, {@code To}, {@code Body}; a missing one is a
 *       400);
 *   <li>makes one {@link ConcurrentHashMap} lookup standing for the route (the business number {@code To} to its
 *       queue; an unknown number is a 404) and counts the message;
 *   <li>answers 200 with the same empty TwiML bytes as the real handler, encoded once.
 * </ol>
 *
 * <p>What it does not do, and the real {@code TwilioWebhookHandler} does: check the method, the declared length
 * against a cap and the content type; the URL variants with and without the port; a second (rotation) token; JSON
 * bodies; the {@code AccountSid}; the SID's syntax; phone-number validation of {@code From} and {@code To}; status
 * callbacks; media URLs; the de-duplication of redeliveries (a map insert and an expiry queue per message); the
 * {@code InboundSms} and its attributes; the listener contract (503 on a failing listener) and the routing decision
 * itself (opening or joining a conversation in the routing engine's stores). Those are the real handler's work beyond
 * the floor.
 *
 * <p>Thread-safe.
 */
final class TwilioFloorHandler implements HttpHandler {

  private final String publicBase;
  private final byte[] answer;
  private final ThreadLocal<Mac> mac;
  private final Map<String, String> routes = new ConcurrentHashMap<>();
  private final AtomicInteger routed;

  /**
   * @param publicBase the scheme, host and port Twilio signed, without a trailing slash
   * @param authToken the signing key
   * @param businessNumber the one number routed (to queue "sales")
   * @param answer the TwiML answer
   * @param routed counts the messages routed
   */
  TwilioFloorHandler(String publicBase, String authToken, String businessNumber, String answer,
      AtomicInteger routed) {
    this.publicBase = publicBase;
    this.answer = answer.getBytes(StandardCharsets.UTF_8);
    SecretKeySpec key = new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    this.mac = ThreadLocal.withInitial(() -> {
      try {
        Mac m = Mac.getInstance("HmacSHA1");
        m.init(key);
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
    this.routes.put(businessNumber, "sales");
    this.routed = routed;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      byte[] body = exchange.getRequestBody().readNBytes(Integer.parseInt(length.strip()));
      String signature = exchange.getRequestHeaders().getFirst("X-Twilio-Signature");
      int status = answer(publicBase + exchange.getRequestURI().getRawPath(), body, signature);
      if (status != 200) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  /** The status a request gets: the floor's work, without the HTTP exchange. */
  int answer(String url, byte[] body, String signature) {
    if (signature == null) {
      return 403;
    }
    List<String[]> params = new ArrayList<>();
    for (String part : new String(body, StandardCharsets.UTF_8).split("&")) {
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      params.add(new String[] {URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8)});
    }
    params.sort((a, b) -> a[0].compareTo(b[0]));
    Mac m = mac.get();
    m.update(url.getBytes(StandardCharsets.UTF_8));
    for (String[] p : params) {
      m.update(p[0].getBytes(StandardCharsets.UTF_8));
      m.update(p[1].getBytes(StandardCharsets.UTF_8));
    }
    byte[] expected = Base64.getEncoder().encode(m.doFinal());
    if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
      return 403;
    }
    String sid = null;
    String from = null;
    String to = null;
    String text = null;
    for (String[] p : params) {
      switch (p[0]) {
        case "MessageSid" -> sid = p[1];
        case "From" -> from = p[1];
        case "To" -> to = p[1];
        case "Body" -> text = p[1];
        default -> { }
      }
    }
    if (sid == null || from == null || to == null || text == null) {
      return 400;
    }
    if (routes.get(to) == null) {
      return 404;
    }
    routed.incrementAndGet();
    return 200;
  }
}
