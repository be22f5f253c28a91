package dev.smsgateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * One HTTP request and its response, as the console sees it, whichever server carries it (the JDK HttpServer,
 * a Servlet container). Used by one thread at a time.
 */
interface Exchange {

  String method();

  /** The path below the console's mount point, starting with {@code /}. */
  String path();

  /** The first value of a request header (case-insensitive name), or null. */
  String header(String name);

  /** All values of the Cookie headers joined by {@code ;}, or null. */
  String cookies();

  InputStream body() throws IOException;

  void respond(int status, Map<String, String> headers, byte[] body) throws IOException;

  /** Starts a 200 response whose body is written piece by piece (Server-Sent Events). */
  Stream stream(Map<String, String> headers) throws IOException;

  /** A response body written and flushed piece by piece. */
  interface Stream {
    /** Writes and flushes; throws when the client has gone. */
    void write(byte[] chunk) throws IOException;
  }
}
