package dev.smsgateway.test.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) in front of one upstream address, for fault-injection tests
 * (docs/reliability.md S2 and friends). Switch its {@link Mode} at any time; the new mode applies to the next chunk
 * read
 * on every connection, existing and new.
 *
 * <ul>
 *   <li>{@link Mode#PASS_THROUGH}: bytes flow both ways unchanged.
 *   <li>{@link Mode#BLACKHOLE}: a half-open link. Bytes read from either side are dropped, nothing is closed and no
 *       FIN or RST is sent; new connections are accepted and then black-holed too.
 *   <li>{@link Mode#RESET}: every connection is closed with an RST (SO_LINGER 0) on both sides, and new ones too.
 *   <li>{@link Mode#DELAY}: each chunk is forwarded after {@link #delay(Duration)}.
 *   <li>{@link Mode#FRAGMENT}: each chunk is forwarded one byte per write (with TCP_NODELAY, so one byte per segment
 *       as far as the kernel allows).
 * </ul>
 *
 * <p>Thread-safe: the mode may be changed from any thread. {@link #close()} closes every socket and stops its threads.
 */
public final class TcpFaultProxy implements AutoCloseable {

  /** What the proxy does with the bytes it reads. */
  public enum Mode {
    /** Forward unchanged. */
    PASS_THROUGH,
    /** Drop everything, close nothing (peers see silence, not FIN). */
    BLACKHOLE,
    /** Reset every connection (RST) and refuse to keep new ones. */
    RESET,
    /** Forward each chunk after a delay. */
    DELAY,
    /** Forward one byte per write. */
    FRAGMENT
  }

  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private volatile Mode mode = Mode.PASS_THROUGH;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean closed;

  private TcpFaultProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tcp-fault-proxy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.execute(this::acceptLoop);
  }

  /** Starts a proxy in {@link Mode#PASS_THROUGH} in front of {@code host:port}. */
  public static TcpFaultProxy start(String host, int port) {
    Objects.requireNonNull(host, "host == null");
    try {
      return new TcpFaultProxy(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The loopback host to connect to. */
  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  /** The proxy's ephemeral port. */
  public int port() {
    return server.getLocalPort();
  }

  /** The current mode. */
  public Mode mode() {
    return mode;
  }

  /** Switches mode; {@link Mode#RESET} also resets every open connection now. */
  public TcpFaultProxy mode(Mode mode) {
    this.mode = Objects.requireNonNull(mode, "mode == null");
    if (mode == Mode.RESET) {
      links.forEach(Link::reset);
    }
    return this;
  }

  /** The delay used in {@link Mode#DELAY}. */
  public TcpFaultProxy delay(Duration delay) {
    this.delay = Objects.requireNonNull(delay, "delay == null");
    return this;
  }

  /** Connections accepted so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Connections currently open (both sockets). */
  public int openConnections() {
    return (int) links.stream().filter(l -> !l.isClosed()).count();
  }

  /** Bytes dropped while black-holed. */
  public long droppedBytes() {
    return dropped.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    links.forEach(Link::close);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TcpFaultProxy{" + host() + ":" + port() + " -> " + upstream.getPort() + ", " + mode + "}";
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (mode == Mode.RESET) {
        reset(client);
        continue;
      }
      Socket target = new Socket();
      try {
        target.connect(upstream, 5_000);
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
      } catch (IOException e) {
        reset(client);
        closeQuietly(target);
        continue;
      }
      Link link = new Link(client, target);
      links.add(link);
      threads.execute(() -> pump(link, client, target));
      threads.execute(() -> pump(link, target, client));
    }
  }

  private void pump(Link link, Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        Mode current = mode;
        switch (current) {
          case PASS_THROUGH -> out.write(buffer, 0, n);
          case BLACKHOLE -> dropped.addAndGet(n);
          case RESET -> {
            link.reset();
            return;
          }
          case DELAY -> {
            Thread.sleep(delay.toMillis()); // the fault being injected, not synchronization
            out.write(buffer, 0, n);
          }
          case FRAGMENT -> {
            for (int i = 0; i < n; i++) {
              out.write(buffer[i]);
              out.flush();
            }
          }
          default -> throw new IllegalStateException("unknown mode " + current);
        }
        out.flush();
      }
      // orderly end from one side: pass the FIN on unless black-holed
      if (mode != Mode.BLACKHOLE) {
        to.shutdownOutput();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      link.close();
    } catch (IOException e) {
      link.close();
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort
    }
  }

  private final class Link {
    private final Socket client;
    private final Socket target;

    Link(Socket client, Socket target) {
      this.client = client;
      this.target = target;
    }

    boolean isClosed() {
      return client.isClosed() && target.isClosed();
    }

    void reset() {
      TcpFaultProxy.reset(client);
      TcpFaultProxy.reset(target);
      links.remove(this);
    }

    void close() {
      closeQuietly(client);
      closeQuietly(target);
      links.remove(this);
    }
  }
}
