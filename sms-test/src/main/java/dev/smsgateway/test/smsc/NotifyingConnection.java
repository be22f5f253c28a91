package dev.smsgateway.test.smsc;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.util.StrictBufferedInputStream;

/** A socket connection of the simulator whose output tells it when a deliver_sm went out. Thread-safe. */
final class NotifyingConnection implements Connection {

private static final int CID_DELIVER_SM = 0x00000005;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final List<Runnable> onDeliverSm = new CopyOnWriteArrayList<>();

  NotifyingConnection(Socket socket) throws IOException {
    this.socket = socket;
    // buffered as jsmpp's own SocketConnection reads (64 KiB): unbuffered, jsmpp's reader makes one read(2) per byte
    // of each PDU header (17 system calls per submit_sm), a cost every client under test pays on a shared machine
    this.in = new StrictBufferedInputStream(socket.getInputStream(), 65536);
    this.out = new FilterOutputStream(socket.getOutputStream()) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        socket.getOutputStream().write(b, off, len);
        if (len >= 8 && ByteBuffer.wrap(b, off + 4, 4).getInt() == CID_DELIVER_SM) {
          for (Runnable r : onDeliverSm) {
            onDeliverSm.remove(r);
            r.run();
          }
        }
      }
    };
  }

  void onNextDeliverSm(Runnable r) {
    onDeliverSm.add(r);
  }

  void abort() {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed
    }
    closeQuietly(socket);
  }

  @Override
  public boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public InetAddress getInetAddress() {
    return socket.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return socket.getLocalAddress();
  }

  @Override
  public int getPort() {
    return socket.getPort();
  }

  @Override
  public int getLocalPort() {
    return socket.getLocalPort();
  }

  @Override
  public InputStream getInputStream() {
    return in;
  }

  @Override
  public OutputStream getOutputStream() {
    return out;
  }

  @Override
  public void setSoTimeout(int timeout) throws IOException {
    socket.setSoTimeout(timeout);
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
