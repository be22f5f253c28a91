package dev.smsgateway.test.phone;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A customer's phone in a web page, for demos and browser tests: the page texts the business through an
 * {@link SmscSimulator} (a mobile-originated message, {@link SmscSimulator#deliverMo}) and shows the messages the
 * SMSC accepted for the phone's number. It stands in for a handset on a carrier network: no delivery of its own, no
 * state besides what the simulator keeps.
 *
 * <p>Endpoints: {@code GET /} the page; {@code POST /send} with a form body {@code from}, {@code to}, {@code text};
 * {@code POST /messages} with a form body {@code number} the accepted messages to that number as JSON, oldest
 * first. Binds where it is told
 * (use loopback).
 *
 * <p>Thread-safe.
 */
public final class CustomerPhone implements AutoCloseable {

  private static final int MAX_BODY = 8 * 1024;
  private final SmscSimulator smsc;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "customer-phone");
    t.setDaemon(true);
    return t;
  });

  private CustomerPhone(SmscSimulator smsc, InetSocketAddress address) throws IOException {
    this.smsc = smsc;
    this.server = HttpServer.create(address, 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  /** Starts a phone page for {@code smsc} on {@code address} (port 0: any free port). */
  public static CustomerPhone start(SmscSimulator smsc, InetSocketAddress address) throws IOException {
    CustomerPhone phone = new CustomerPhone(Objects.requireNonNull(smsc, "smsc == null"),
        Objects.requireNonNull(address, "address == null"));
    phone.server.start();
    return phone;
  }

  /** {@code http://host:port/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/");
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      if (method.equals("GET") && path.equals("/")) {
        respond(x, 200, "text/html; charset=utf-8", PAGE);
      } else if (method.equals("POST") && path.equals("/send")) {
        byte[] body = x.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          respond(x, 413, "text/plain", "too large");
          return;
        }
        String from = null;
        String to = null;
        String text = null;
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
          int eq = pair.indexOf('=');
          if (eq < 0) {
            continue;
          }
          String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
          String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          switch (k) {
            case "from" -> from = v;
            case "to" -> to = v;
            case "text" -> text = v;
            default -> { }
          }
        }
        if (from == null || to == null || text == null || from.isBlank() || to.isBlank() || text.isEmpty()) {
          respond(x, 400, "text/plain", "from, to and text are required");
          return;
        }
        smsc.deliverMo(from.strip(), to.strip(), text);
        respond(x, 204, null, "");
      } else if (method.equals("POST") && path.equals("/messages")) {
        // The number travels in the body, not the URL: servers log request lines.
        String query = new String(x.getRequestBody().readNBytes(200), StandardCharsets.UTF_8);
        String number = query.startsWith("number=")
            ? URLDecoder.decode(query.substring(7), StandardCharsets.UTF_8) : "";
        String digits = number.replaceAll("\\D", "");
        StringBuilder json = new StringBuilder("[");
        int index = 0;
        for (ReceivedSubmit s : smsc.accepted()) {
          if (!digits.isEmpty() && s.destAddr().replaceAll("\\D", "").equals(digits)) {
            if (index++ > 0) {
              json.append(',');
            }
            json.append("{\"from\":").append(quote(s.sourceAddr())).append(",\"text\":").append(quote(s.text()))
                .append(",\"at\":").append(quote(s.receivedAt().toString())).append('}');
          }
        }
        respond(x, 200, "application/json", json.append(']').toString());
      } else {
        respond(x, 404, "text/plain", "not found");
      }
    }
  }

  private static void respond(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      x.getResponseHeaders().set("Content-Type", type);
    }
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : (s == null ? "" : s).toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "CustomerPhone{" + uri() + "}";
  }

  private static final String PAGE = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Customer phone</title>
      <style>
        body { font: 16px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 380px; padding: 12px; background: #222; }
        .phone { background: #fff; border-radius: 24px; padding: 16px; }
        h1 { font-size: 1.1rem; margin: 0 0 8px; }
        label { display: block; font-weight: 600; margin-top: 8px; }
        input, textarea, button { font: inherit; width: 100%; padding: 8px; border-radius: 8px; border: 1px solid #999; }
        button { margin-top: 8px; background: #0a7a3d; color: #fff; border: 0; }
        ol { list-style: none; padding: 0; max-height: 50vh; overflow-y: auto; }
        li { margin: 6px 0; padding: 8px 10px; border-radius: 10px; max-width: 85%; }
        li.in { background: #eef1f5; } li.out { background: #c9f2d5; margin-left: auto; }
      </style></head>
      <body><div class="phone">
        <h1>Customer phone</h1>
        <label for="phone-from">My number</label>
        <input id="phone-from" type="tel" value="+14155550123">
        <label for="phone-to">Business number</label>
        <input id="phone-to" type="tel" value="+14155550100">
        <ol id="phone-inbox" aria-live="polite" aria-label="Messages"></ol>
        <form id="phone-form">
          <label for="phone-text">Message</label>
          <textarea id="phone-text" rows="2" required></textarea>
          <button id="phone-send" type="submit">Send</button>
        </form>
      </div>
      <script>
        const sent = [];
        const inbox = document.getElementById('phone-inbox');
        function render(received) {
          const items = received.map(m => ({ at: m.at, text: m.text, cls: 'in' }))
            .concat(sent.map(m => ({ at: m.at, text: m.text, cls: 'out' })))
            .sort((a, b) => a.at.localeCompare(b.at));
          inbox.replaceChildren(...items.map(m => {
            const li = document.createElement('li'); li.className = m.cls; li.textContent = m.text; return li;
          }));
        }
        async function poll() {
          const number = document.getElementById('phone-from').value;
          const r = await fetch('messages', { method: 'POST', body: new URLSearchParams({ number }) });
          if (r.ok) render(await r.json());
        }
        document.getElementById('phone-form').addEventListener('submit', async (e) => {
          e.preventDefault();
          const text = document.getElementById('phone-text').value;
          const body = new URLSearchParams({ from: document.getElementById('phone-from').value,
            to: document.getElementById('phone-to').value, text });
          const r = await fetch('send', { method: 'POST', body });
          if (r.ok) { sent.push({ at: new Date().toISOString(), text }); document.getElementById('phone-text').value = ''; poll(); }
        });
        setInterval(poll, 400); poll();
      </script></body></html>
      """;
}
