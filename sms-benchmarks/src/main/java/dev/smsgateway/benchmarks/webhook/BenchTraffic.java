package dev.smsgateway.benchmarks.webhook;

import static dev.smsgateway.benchmarks.webhook.TwilioWebhookBenchmark.ACCOUNT;
import static dev.smsgateway.benchmarks.webhook.TwilioWebhookBenchmark.BUSINESS;
import static dev.smsgateway.benchmarks.webhook.TwilioWebhookBenchmark.TOKEN;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The traffic of {@link TwilioWebhookBenchmark}: the requests its client threads send (signed Twilio form posts, SNS
 * notifications signed beforehand) and the empty handler every side is measured against.
 *
 * <p>Thread-safe where noted; a part of a program.
 */
final class BenchTraffic {

  private BenchTraffic() {}

  /**
   * Reads the body as the webhook does (exactly Content-Length bytes when it is given) and answers a fixed text,
   * encoded once as the webhook's usual answer is: the same HTTP work, nothing else.
   */
  static final class EmptyHandler implements HttpHandler {
    private final byte[] answer;
    private final String contentType;

    EmptyHandler(String answer, String contentType) {
      this.answer = answer.getBytes(StandardCharsets.UTF_8);
      this.contentType = contentType;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        InputStream in = exchange.getRequestBody();
        if (length != null) {
          in.readNBytes(Integer.parseInt(length.strip()));
        } else {
          in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  /** The requests one side sends; {@link #post} is called from the client threads. */
  interface RequestSource {
    /** Sends one request and returns its status. */
    int post() throws IOException;
  }

  static int send(String url, String contentType, String header, String value, byte[] bytes)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", contentType);
    c.setRequestProperty(header, value);
    c.setFixedLengthStreamingMode(bytes.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(bytes);
    }
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    return status;
  }

  /** Signed Twilio form posts, each with its own MessageSid, built and signed by the client thread. */
  static final class TwilioForms implements RequestSource {
    private final String url;
    private final AtomicLong sequence = new AtomicLong();

    TwilioForms(String base, String path) {
      this.url = base + path;
    }

    @Override
    public int post() throws IOException {
      long n = sequence.incrementAndGet();
      Map<String, String> form = new TreeMap<>();
      form.put("AccountSid", ACCOUNT);
      form.put("Body", "On my way");
      form.put("From", "+1415" + (2_000_000 + n % 200_000));
      form.put("MessageSid", String.format(Locale.ROOT, "SM%032x", n));
      form.put("NumMedia", "0");
      form.put("SmsStatus", "received");
      form.put("To", BUSINESS.address());
      StringBuilder body = new StringBuilder();
      StringBuilder signed = new StringBuilder(url);
      for (Map.Entry<String, String> e : form.entrySet()) {
        if (body.length() > 0) {
          body.append('&');
        }
        body.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        signed.append(e.getKey()).append(e.getValue());
      }
      return send(url, "application/x-www-form-urlencoded", "X-Twilio-Signature", sign(signed.toString()),
          body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String data) {
      try {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return url;
    }
  }

  /**
   * SNS notification posts from the bodies signed beforehand. The SNS handler gets each body once; the empty handler
   * ({@code reuse}) cycles through them.
   */
  static final class SnsPosts implements RequestSource {
    private final String url;
    private final List<byte[]> bodies;
    private final boolean reuse;
    private final AtomicInteger next = new AtomicInteger();

    SnsPosts(String url, List<byte[]> bodies, boolean reuse) {
      this.url = url;
      this.bodies = bodies;
      this.reuse = reuse;
    }

    @Override
    public int post() throws IOException {
      int i = next.getAndIncrement();
      if (i >= bodies.size() && !reuse) {
        throw new IllegalStateException("ran out of signed SNS messages");
      }
      return send(url, "text/plain; charset=UTF-8", "x-amz-sns-message-type", "Notification",
          bodies.get(i % bodies.size()));
    }

    @Override
    public String toString() {
      return url;
    }
  }
}
