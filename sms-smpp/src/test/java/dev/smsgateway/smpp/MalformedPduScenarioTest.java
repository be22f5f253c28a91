package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import dev.smsgateway.ProviderState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/reliability.md S9: a hand-written SMSC on a raw socket binds the provider, then sends a malformed PDU. The
 * provider
 * must answer generic_nack (or an error response) or drop the connection and bind again within 5 s, without
 * allocating what a hostile command_length asks for; its reader never dies silently. Surefire runs this module with
 * -Xmx512m.
 */
class MalformedPduScenarioTest {

  enum Malformed {
    LENGTH_0(header(0, 0x05, 0, 7)),
    LENGTH_15(header(15, 0x05, 0, 7)),
    LENGTH_HUGE(header(0x7FFFFFF0, 0x05, 0, 7)),
    LENGTH_NEGATIVE(header(0x80000010, 0x05, 0, 7)),
    TRUNCATED(java.util.Arrays.copyOf(header(200, 0x05, 0, 7), 40)),
    BAD_TLV_LENGTH(deliverSmWithTlv(new byte[] {0x04, 0x27, (byte) 0xFF, (byte) 0xF0, 1})),
    TLV_CUT_SHORT(deliverSmWithTlv(new byte[] {0x04, 0x27, 0})),
    UNKNOWN_COMMAND(header(16, 0x0000_0F0F, 0, 9));

    final byte[] bytes;

    Malformed(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  @ParameterizedTest
  @EnumSource(Malformed.class)
  void nacksOrReconnectsWithinFiveSeconds(Malformed malformed) throws Exception {
    try (RawSmsc smsc = new RawSmsc(malformed.bytes)) {
      RecordingListener listener = new RecordingListener();
      SmppSmsProvider p = SmppSmsProvider.builder().host("127.0.0.1").port(smsc.port()).systemId("esme")
          .password("pw").reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
          .enquireLinkInterval(Duration.ofSeconds(2)).bindTimeout(Duration.ofSeconds(2))
          .responseTimeout(Duration.ofSeconds(2)).build();
      try {
        p.start(listener);
        assertThat(RecordingListener.await(() -> !smsc.outcomes.isEmpty(), Duration.ofSeconds(5))).isTrue();
        String outcome = smsc.outcomes.get(0);
        assertThat(outcome).isIn("generic_nack", "error_response", "closed");
        // either the provider bound again, or its reader survived and still answers enquire_link
        assertThat(RecordingListener.await(() -> smsc.connections.get() >= 2
            || smsc.outcomes.contains("enquire_link_resp"), Duration.ofSeconds(5))).isTrue();
        assertThat(RecordingListener.await(() -> p.state() == ProviderState.CONNECTED, Duration.ofSeconds(5)))
            .isTrue();
      } finally {
        p.close();
      }
    }
  }

  static byte[] header(int length, int id, int status, int seq) {
    return ByteBuffer.allocate(16).putInt(length).putInt(id).putInt(status).putInt(seq).array();
  }

  static byte[] deliverSmWithTlv(byte[] tlv) {
    // deliver_sm body: service_type, src ton/npi/addr, dst ton/npi/addr, esm, pid, prio, sched, validity, rd, rip,
    // dc, sm_default_msg_id, sm_length, short_message; then the TLV bytes
    byte[] body = {0, 1, 1, '4', '9', '1', 0, 1, 1, '1', '2', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 'h', 'i'};
    ByteBuffer b = ByteBuffer.allocate(16 + body.length + tlv.length);
    b.putInt(16 + body.length + tlv.length).putInt(0x05).putInt(0).putInt(11).put(body).put(tlv);
    return b.array();
  }

  /** Accepts binds, then sends one malformed PDU per connection and records how the client reacted. */
  static final class RawSmsc implements AutoCloseable {
    final ServerSocket server;
    final byte[] malformed;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> outcomes = new CopyOnWriteArrayList<>();
    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final Thread thread;

    RawSmsc(byte[] malformed) throws IOException {
      this.malformed = malformed;
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      thread = new Thread(this::run, "raw-smsc");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    void run() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          sockets.add(s);
          int n = connections.incrementAndGet();
          Thread t = new Thread(() -> serve(s, n == 1), "raw-smsc-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    void serve(Socket s, boolean first) {
      try (s) {
        s.setSoTimeout(4000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        int len = in.readInt();
        int id = in.readInt();
        in.readInt();
        int seq = in.readInt();
        in.readFully(new byte[len - 16]);
        // bind_transceiver_resp, status 0, system_id "raw"
        out.write(ByteBuffer.allocate(20).putInt(20).putInt(id | 0x80000000).putInt(0).putInt(seq)
            .put(new byte[] {'r', 'a', 'w', 0}).array());
        out.flush();
        if (!first) {
          // later connections behave: answer enquire_link and unbind
          while (true) {
            int l = in.readInt();
            int cid = in.readInt();
            in.readInt();
            int sq = in.readInt();
            in.readFully(new byte[Math.max(0, Math.min(l, 70_000) - 16)]);
            if (cid == 0x15 || cid == 0x06) {
              out.write(header(16, cid | 0x80000000, 0, sq));
              out.flush();
            }
          }
        }
        // let the client process bind_resp first: jsmpp ignores a response it processes after the session closed
        Thread.sleep(200);
        out.write(malformed);
        out.flush();
        if (malformed.length == 40) {
          // truncated: the peer dies in the middle of a PDU
          s.shutdownOutput();
        }
        boolean askedEnquire = false;
        while (true) {
          int l;
          try {
            l = in.readInt();
          } catch (SocketTimeoutException e) {
            continue;
          }
          int cid = in.readInt();
          int status = in.readInt();
          int sq = in.readInt();
          in.readFully(new byte[Math.max(0, Math.min(l, 70_000) - 16)]);
          if (cid == 0x00000006) {
            // the client gives up on this connection: answer its unbind so it closes at once
            outcomes.add("unbind");
            out.write(header(16, 0x80000006, 0, sq));
            out.flush();
          } else if (cid == 0x80000000) {
            outcomes.add("generic_nack");
          } else if (cid == 0x80000005 || (cid & 0x80000000) != 0 && cid != 0x80000015) {
            outcomes.add(status != 0 ? "error_response" : "ok_response");
          } else if (cid == 0x80000015) {
            outcomes.add("enquire_link_resp");
          } else if (cid == 0x00000015) {
            out.write(header(16, 0x80000015, 0, sq));
            out.flush();
          }
          if (!askedEnquire && !outcomes.isEmpty()) {
            askedEnquire = true;
            out.write(header(16, 0x00000015, 0, 99));
            out.flush();
          }
        }
      } catch (IOException e) {
        if (first) {
          outcomes.add("closed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
