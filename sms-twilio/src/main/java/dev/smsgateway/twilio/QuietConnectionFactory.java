package dev.smsgateway.twilio;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5 connections that never log what they carry.
 *
 * <p>HttpClient's default {@code ManagedHttpClientConnectionFactory} makes connections that log every header under
 * {@code org.apache.hc.client5.http.headers} and every byte under {@code org.apache.hc.client5.http.wire} when those
 * loggers are at DEBUG. To Twilio that is the {@code Authorization: Basic} header (the account SID and auth token,
 * base64) and the form body (full {@code To}/{@code From} numbers and the message text). Applications routinely run
 * with the root logger at DEBUG while investigating, and HttpClient 5 logs through SLF4J, so the client this module
 * builds uses these connections instead: the same HTTP/1.1 codec and defaults, without the two loggers.
 *
 * <p>Thread-safe.
 */
final class QuietConnectionFactory implements HttpConnectionFactory<ManagedHttpClientConnection> {

  static final QuietConnectionFactory INSTANCE = new QuietConnectionFactory();

  private static final AtomicLong COUNTER = new AtomicLong();

  private QuietConnectionFactory() {}

  @Override
  public ManagedHttpClientConnection createConnection(Socket socket) throws IOException {
    QuietConnection connection = new QuietConnection("http-outgoing-" + COUNTER.getAndIncrement());
    if (socket != null) {
      connection.bind(socket);
    }
    return connection;
  }

  /** What HttpClient's own managed connection does (socket timeout kept across passivate/activate), minus logging. */
  static final class QuietConnection extends DefaultBHttpClientConnection implements ManagedHttpClientConnection {
    private final String id;
    private volatile Timeout socketTimeout;

    QuietConnection(String id) {
      super(Http1Config.DEFAULT);
      this.id = id;
    }

    @Override
    public void bind(Socket socket) throws IOException {
      super.bind(socket);
      socketTimeout = Timeout.ofMilliseconds(socket.getSoTimeout());
    }

    @Override
    public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
      super.bind(sslSocket, socket);
      socketTimeout = Timeout.ofMilliseconds(sslSocket.getSoTimeout());
    }

    @Override
    public Socket getSocket() {
      SocketHolder holder = getSocketHolder();
      return holder != null ? holder.getSocket() : null;
    }

    @Override
    public SSLSession getSSLSession() {
      return super.getSSLSession();
    }

    @Override
    public void setSocketTimeout(Timeout timeout) {
      super.setSocketTimeout(timeout);
      socketTimeout = timeout;
    }

    @Override
    public void passivate() {
      super.setSocketTimeout(Timeout.ZERO_MILLISECONDS);
    }

    @Override
    public void activate() {
      super.setSocketTimeout(socketTimeout);
    }

    @Override
    public String toString() {
      return id;
    }
  }
}
