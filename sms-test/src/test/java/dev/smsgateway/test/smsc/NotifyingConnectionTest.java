package dev.smsgateway.test.smsc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.bean.Command;
import org.jsmpp.util.DefaultComposer;
import org.junit.jupiter.api.Test;

/** The simulator reads PDUs the way jsmpp's own connection does: through a buffer, not a system call per byte. */
class NotifyingConnectionTest {

  @Test
  void aPduArrivingInOneSegmentIsReadWithOneReadOfTheSocket() throws Exception {
    AtomicInteger socketReads = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket simulatorSide = countingReads(socketReads)) {
      simulatorSide.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      try (Socket peer = server.accept()) {
        byte[] submit = new DefaultComposer().submitSm(42, "", (byte) 1, (byte) 1, "14155550100", (byte) 1,
            (byte) 1, "4915112345678", (byte) 0, (byte) 0, (byte) 0, null, null, (byte) 0, (byte) 0, (byte) 0,
            (byte) 0, "Your appointment is confirmed".getBytes(), new org.jsmpp.bean.OptionalParameter[0]);
        peer.getOutputStream().write(submit);
        peer.getOutputStream().flush();
        NotifyingConnection connection = new NotifyingConnection(simulatorSide);
        DataInputStream in = new DataInputStream(connection.getInputStream());
        DefaultPDUReader reader = new DefaultPDUReader();
        Command header = reader.readPDUHeader(in);
        byte[] pdu = reader.readPDU(in, header);

        assertThat(header.getSequenceNumber()).isEqualTo(42);
        assertThat(pdu).isEqualTo(submit);
        // unbuffered, jsmpp's reader took the header's four integers a byte at a time: 16 reads, then the body
        assertThat(socketReads.get()).as("reads of the socket for one %d-byte submit_sm", submit.length)
            .isLessThanOrEqualTo(2);
      }
    }
  }

  /** An unconnected socket whose input stream counts the reads made of it. */
  private static Socket countingReads(AtomicInteger reads) {
    return new Socket() {
      @Override
      public InputStream getInputStream() throws IOException {
        InputStream in = super.getInputStream();
        return new InputStream() {
          @Override
          public int read() throws IOException {
            reads.incrementAndGet();
            return in.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            reads.incrementAndGet();
            return in.read(b, off, len);
          }
        };
      }
    };
  }
}
