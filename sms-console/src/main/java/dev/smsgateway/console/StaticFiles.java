package dev.smsgateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's page, scripts and style sheet, and the OpenAPI file, read from the jar once. Only the files listed
 * here are served: no path from a request ever reaches the class loader.
 *
 * <p>Immutable and thread-safe.
 */
final class StaticFiles {

  private static final String BASE = "/dev/smsgateway/console/static/";
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "console.js", "text/javascript; charset=utf-8",
      "api.js", "text/javascript; charset=utf-8",
      "console.css", "text/css; charset=utf-8");
  /** Scripts and styles from this origin only; no inline script, no framing (clickjacking). */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final byte[] openApi;

  StaticFiles() {
    for (String name : TYPES.keySet()) {
      files.put(name, read(BASE + name));
    }
    openApi = read("/dev/smsgateway/console/openapi.yaml");
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " (a broken sms-console jar)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(Exchange x, String method, String path) throws IOException {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new Problem(405, "method_not_allowed", "use GET");
    }
    String name = path.equals("/") || path.equals("/index.html") ? "index.html"
        : path.startsWith("/static/") ? path.substring("/static/".length()) : null;
    byte[] body = name == null ? null : files.get(name);
    if (body == null) {
      throw new Problem(404, "not_found", "no such page");
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", TYPES.get(name));
    h.put("Cache-Control", "no-cache");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("Content-Security-Policy", CSP);
    x.respond(200, h, method.equals("HEAD") ? new byte[0] : body);
  }

  void serveOpenApi(Exchange x) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/yaml");
    h.put("Cache-Control", "no-cache");
    h.put("X-Content-Type-Options", "nosniff");
    x.respond(200, h, openApi);
  }
}
