package dev.smsgateway.console;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link SmsConsole} running on its own JDK {@code HttpServer} ({@link SmsConsole#start}). Closing it ends the
 * event streams and stops the server.
 *
 * <p>Thread-safe.
 */
public final class ConsoleServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final SmsConsole console;

  private ConsoleServer(HttpServer server, ExecutorService executor, SmsConsole console) {
    this.server = server;
    this.executor = executor;
    this.console = console;
  }

  static ConsoleServer start(SmsConsole console, InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sms-console-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", console.httpHandler());
    server.setExecutor(executor);
    server.start();
    return new ConsoleServer(server, executor, console);
  }

  /** The address it listens on (with the port chosen when 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
  }

  @Override
  public void close() {
    console.close();
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "ConsoleServer{" + uri() + "}";
  }
}
