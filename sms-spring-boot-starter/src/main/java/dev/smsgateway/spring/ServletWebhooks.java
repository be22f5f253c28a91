package dev.smsgateway.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the servlet webhook adapters share: the request headers as the library's handlers take them, and writing their
 * answer. The request body is handed to the handlers as the servlet's stream, unread: their size caps apply before
 * anything is buffered, exactly as on the JDK {@code HttpServer}.
 *
 * <p>Stateless and thread-safe.
 */
final class ServletWebhooks {

  private ServletWebhooks() {}

  static Map<String, List<String>> headers(HttpServletRequest request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    return headers;
  }

  /**
   * Writes the answer; on {@code closeConnection} (a body refused as too large or unreadable) asks the server to close
   * the connection rather than read and discard the rest of the body.
   */
  static void write(HttpServletResponse response, int status, Map<String, String> headers, String body,
      boolean closeConnection) throws IOException {
    response.setStatus(status);
    headers.forEach(response::setHeader);
    if (closeConnection) {
      response.setHeader("Connection", "close");
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = response.getOutputStream()) {
        out.write(bytes);
      }
    }
  }

  /** The request's raw path below {@code prefix} (the servlet context path and the mount path removed). */
  static String pathBelow(HttpServletRequest request, String prefix) {
    String uri = request.getRequestURI();
    String context = request.getContextPath() == null ? "" : request.getContextPath();
    String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
  }
}
