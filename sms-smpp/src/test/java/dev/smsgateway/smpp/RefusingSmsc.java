package dev.smsgateway.smpp;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMSC that answers every bind with a header-only {@code bind_*_resp} carrying an error status and closes the
 * connection at once, as several real SMSCs do for a bad password: the refusal and the end of stream reach the client
 * back to back. Raw sockets, so that nothing waits for the client to close first. Loopback, ephemeral port.
 */
final class RefusingSmsc implements AutoCloseable {

  private final ServerSocket server;
  private final int status;
  private final AtomicInteger binds = new AtomicInteger();
  private final Thread acceptor;

  RefusingSmsc(int status) throws IOException {
    this.status = status;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::serve, "refusing-smsc");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Bind requests received so far. */
  int binds() {
    return binds.get();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        int length = in.readInt();
        int commandId = in.readInt();
        in.readInt(); // command_status
        int sequence = in.readInt();
        in.readNBytes(length - 16); // system_id, password, ...
        binds.incrementAndGet();
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(16);
        out.writeInt(commandId | 0x80000000);
        out.writeInt(status);
        out.writeInt(sequence);
        out.flush();
        // closed right after the refusal by try-with-resources
      } catch (IOException e) {
        // the client went away, or we are closing
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
