package dev.smsgateway.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Serves an {@link SmsConsole} on the JDK's {@code com.sun.net.httpserver.HttpServer}, at the context path it is
 * created for ({@code server.createContext("/console", console.httpHandler())}). The server's executor must give
 * each request its own thread (an event stream holds one while open): {@code Executors.newCachedThreadPool()}, not
 * the default single thread.
 *
 * <p>Thread-safe.
 */
final class ConsoleHttpHandler implements HttpHandler {

  private final SmsConsole console;

  ConsoleHttpHandler(SmsConsole console) {
    this.console = console;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      console.api().handle(new JdkExchange(exchange));
    }
  }

  private static final class JdkExchange implements Exchange {
    private final HttpExchange x;
    private final String path;

    JdkExchange(HttpExchange x) {
      this.x = x;
      String context = x.getHttpContext().getPath();
      String raw = x.getRequestURI().getRawPath();
      String p = raw.startsWith(context) ? raw.substring(context.length()) : raw;
      this.path = p.startsWith("/") ? p : "/" + p;
    }

    @Override
    public String method() {
      return x.getRequestMethod();
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public String header(String name) {
      return x.getRequestHeaders().getFirst(name);
    }

    @Override
    public String cookies() {
      List<String> all = x.getRequestHeaders().get("Cookie");
      return all == null ? null : String.join(";", all);
    }

    @Override
    public InputStream body() {
      return x.getRequestBody();
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body) throws IOException {
      headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
      boolean head = x.getRequestMethod().equals("HEAD");
      x.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
      if (body.length > 0 && !head) {
        try (OutputStream out = x.getResponseBody()) {
          out.write(body);
        }
      }
    }

    @Override
    public Stream stream(Map<String, String> headers) throws IOException {
      headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
      x.sendResponseHeaders(200, 0); // chunked
      OutputStream out = x.getResponseBody();
      return chunk -> {
        out.write(chunk);
        out.flush();
      };
    }
  }
}
