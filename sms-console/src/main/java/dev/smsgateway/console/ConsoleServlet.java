package dev.smsgateway.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * Serves an {@link SmsConsole} in a Jakarta Servlet 6 container (Tomcat 10.1+, Jetty 12 ee10, Spring Boot 3), mapped
 * to a path ending in {@code /*}: {@code context.addServlet(new ServletHolder(new ConsoleServlet(console)),
 * "/console/*")}. Event streams hold the request's thread while open (blocking I/O), like on the JDK server; size the
 * container's thread pool for the agents you expect.
 *
 * <p>Thread-safe.
 */
public final class ConsoleServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient SmsConsole console;

  /** A servlet for {@code console}. */
  public ConsoleServlet(SmsConsole console) {
    this.console = Objects.requireNonNull(console, "console == null");
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    console.api().handle(new ServletExchange(req, resp));
  }

  private static final class ServletExchange implements Exchange {
    private final HttpServletRequest req;
    private final HttpServletResponse resp;

    ServletExchange(HttpServletRequest req, HttpServletResponse resp) {
      this.req = req;
      this.resp = resp;
    }

    @Override
    public String method() {
      return req.getMethod();
    }

    @Override
    public String path() {
      String p = req.getPathInfo();
      return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public String header(String name) {
      return req.getHeader(name);
    }

    @Override
    public String cookies() {
      var all = Collections.list(req.getHeaders("Cookie"));
      return all.isEmpty() ? null : String.join(";", all);
    }

    @Override
    public InputStream body() throws IOException {
      return req.getInputStream();
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body) throws IOException {
      resp.setStatus(status);
      headers.forEach(resp::setHeader);
      if (body.length > 0 && !req.getMethod().equals("HEAD")) {
        resp.setContentLength(body.length);
        try (OutputStream out = resp.getOutputStream()) {
          out.write(body);
        }
      }
    }

    @Override
    public Stream stream(Map<String, String> headers) throws IOException {
      resp.setStatus(200);
      headers.forEach(resp::setHeader);
      OutputStream out = resp.getOutputStream();
      resp.flushBuffer();
      return chunk -> {
        out.write(chunk);
        out.flush();
      };
    }
  }
}
