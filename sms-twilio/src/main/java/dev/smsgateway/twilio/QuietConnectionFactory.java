package dev.smsgateway.twilio;

import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.config.ConnectionConfig;
import org.apache.http.conn.HttpConnectionFactory;
import org.apache.http.conn.ManagedHttpClientConnection;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.conn.DefaultHttpResponseParserFactory;
import org.apache.http.impl.conn.DefaultManagedHttpClientConnection;
import org.apache.http.impl.entity.LaxContentLengthStrategy;
import org.apache.http.impl.entity.StrictContentLengthStrategy;
import org.apache.http.impl.io.DefaultHttpRequestWriterFactory;

/**
 * Apache HttpClient connections that never log what they carry.
 *
 * <p>HttpClient's default {@code ManagedHttpClientConnectionFactory} makes connections that log every header under
 * {@code org.apache.http.headers} and every byte under {@code org.apache.http.wire} when those loggers are at DEBUG.
 * To Twilio that is the {@code Authorization: Basic} header (the account SID and auth token, base64) and the form body
 * (full {@code To}/{@code From} numbers and the message text). Applications routinely run with the root logger at
 * DEBUG while investigating, and commons-logging reaches their SLF4J or Log4j set-up (Spring Boot routes it), so the
 * client this module builds uses these connections instead: the same settings and parsers, without the logging.
 *
 * <p>Thread-safe.
 */
final class QuietConnectionFactory implements HttpConnectionFactory<HttpRoute, ManagedHttpClientConnection> {

  static final QuietConnectionFactory INSTANCE = new QuietConnectionFactory();

  private static final AtomicLong COUNTER = new AtomicLong();

  private QuietConnectionFactory() {}

  @Override
  public ManagedHttpClientConnection create(HttpRoute route, ConnectionConfig config) {
    ConnectionConfig cc = config != null ? config : ConnectionConfig.DEFAULT;
    CharsetDecoder decoder = null;
    CharsetEncoder encoder = null;
    Charset charset = cc.getCharset();
    if (charset != null) {
      CodingErrorAction malformed = cc.getMalformedInputAction() != null ? cc.getMalformedInputAction()
          : CodingErrorAction.REPORT;
      CodingErrorAction unmappable = cc.getUnmappableInputAction() != null ? cc.getUnmappableInputAction()
          : CodingErrorAction.REPORT;
      decoder = charset.newDecoder().onMalformedInput(malformed).onUnmappableCharacter(unmappable);
      encoder = charset.newEncoder().onMalformedInput(malformed).onUnmappableCharacter(unmappable);
    }
    // what ManagedHttpClientConnectionFactory passes, minus the three loggers
    return new DefaultManagedHttpClientConnection("http-outgoing-" + COUNTER.getAndIncrement(), cc.getBufferSize(),
        cc.getFragmentSizeHint(), decoder, encoder, cc.getMessageConstraints(), LaxContentLengthStrategy.INSTANCE,
        StrictContentLengthStrategy.INSTANCE, DefaultHttpRequestWriterFactory.INSTANCE,
        DefaultHttpResponseParserFactory.INSTANCE);
  }
}
