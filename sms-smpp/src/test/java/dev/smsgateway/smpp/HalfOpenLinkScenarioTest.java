package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RELIABILITY.md S2: the peer stops answering without a FIN; a loopback proxy swallows the bytes. */
class HalfOpenLinkScenarioTest {

  @Test
  void silentPeerIsDetectedInFlightIsUnknownAndTheProviderRebinds() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
        BlackholeProxy proxy = new BlackholeProxy(smsc.port())) {
      RecordingListener listener = new RecordingListener();
      SmppSmsProvider p = SmppSmsProvider.builder().host("127.0.0.1").port(proxy.port()).systemId("esme")
          .password("pw").enquireLinkInterval(Duration.ofMillis(500)).responseTimeout(Duration.ofMillis(700))
          .bindTimeout(Duration.ofSeconds(1)).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300)).build();
      try {
        p.start(listener);
        assertThat(RecordingListener.await(() -> p.state() == ProviderState.CONNECTED, Duration.ofSeconds(5)))
            .isTrue();
        proxy.blackhole(true);
        long t0 = System.nanoTime();
        CompletableFuture<SendReceipt> inFlight = p.send(request("in flight"));
        try {
          inFlight.get(5, TimeUnit.SECONDS);
          throw new AssertionError("the silent peer cannot have answered");
        } catch (ExecutionException e) {
          assertThat(((SmsException) e.getCause()).possiblyDelivered()).isTrue();
        }
        // detected within enquire-link interval + response timeout (plus scheduling slack)
        assertThat(RecordingListener.await(() -> listener.states.contains(ProviderState.DISCONNECTED),
            Duration.ofSeconds(4))).isTrue();
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        CompletableFuture<SendReceipt> queued = p.send(request("after"));
        proxy.blackhole(false);
        assertThat(queued.get(10, TimeUnit.SECONDS).parts()).isEqualTo(1);
        assertThat(smsc.acceptedTexts()).contains("after");
        System.out.println("S2: silent peer detected after " + detectedMillis + " ms");
      } finally {
        p.close();
      }
    }
  }

  static SubmitRequest request(String text) {
    return SubmitRequest.builder().messageId(text).to(PhoneNumber.of("+4915112345678")).body(text).build();
  }

  /** Forwards to the SMSC; while blackholed it reads and drops bytes in both directions and sends no FIN. */
  static final class BlackholeProxy implements AutoCloseable {
    final ServerSocket server;
    final int target;
    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    volatile boolean blackhole;

    BlackholeProxy(int target) throws IOException {
      this.target = target;
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread t = new Thread(this::accept, "blackhole-proxy");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    void blackhole(boolean on) {
      blackhole = on;
    }

    void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          client.setTcpNoDelay(true);
          upstream.setTcpNoDelay(true);
          sockets.add(client);
          sockets.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          return;
        }
      }
    }

    void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          for (int n; (n = in.read(buf)) >= 0; ) {
            if (!blackhole) {
              out.write(buf, 0, n);
            }
          }
        } catch (IOException ignored) {
          // one side closed
        }
      }, "blackhole-pump");
      t.setDaemon(true);
      t.start();
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
