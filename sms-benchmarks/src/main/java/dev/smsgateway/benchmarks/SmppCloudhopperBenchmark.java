package dev.smsgateway.benchmarks;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.type.Address;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.test.smsc.SmscSimulator;
import dev.smsgateway.text.Gsm7;
import dev.smsgateway.text.SmsEncoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Submit throughput over loopback at window 100 on one bind: {@link SmppSmsProvider} against cloudhopper-smpp's
 * asynchronous client (ch-smpp 5.0.9: {@code sendRequestPdu} without waiting, responses counted in its session
 * handler, its window blocking the caller when full) doing the same submits against the same {@link SmscSimulator},
 * in one JVM. Rounds alternate which client goes first; the result is the median of the per-round ratios.
 * docs/performance.md's goal: provider >= 1.2x cloudhopper async at window 100.
 *
 * <p>Run: {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-cloudhopper -Dbench.args="--messages
 * 20000 --rounds 7"}.
 *
 * <p>Not thread-safe; a program.
 */
public final class SmppCloudhopperBenchmark {

  private static final PhoneNumber TO = PhoneNumber.of("+4915112345678");
  private static final Originator FROM = Originator.longCode(PhoneNumber.of("+14155550100"));
  private static final String TEXT = SmppThroughputBenchmark.TEXT;
  private static final int WINDOW = 100;

  private SmppCloudhopperBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = 20_000;
    int rounds = 7;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--messages" -> messages = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --messages N"
            + " --rounds N");
      }
    }
    System.out.printf(Locale.ROOT, "SMPP submit throughput, loopback, window %d x 1 bind, %d messages/round, %d"
        + " rounds (+1 warm-up), Java %s, %d CPUs%n", WINDOW, messages, rounds, Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    ExecutorService io = Executors.newCachedThreadPool();
    DefaultSmppClient client = new DefaultSmppClient(io, 1);
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("bench", "bench").pduThreads(8).build().start()) {
      AtomicReference<CountDownLatch> responses = new AtomicReference<>(new CountDownLatch(0));
      AtomicInteger refused = new AtomicInteger();
      SmppSessionConfiguration cfg = new SmppSessionConfiguration(SmppBindType.TRANSCEIVER, "bench", "bench");
      cfg.setName("cloudhopper");
      cfg.setHost(smsc.host());
      cfg.setPort(smsc.port());
      cfg.setWindowSize(WINDOW);
      cfg.setConnectTimeout(5_000);
      cfg.setRequestExpiryTimeout(10_000);
      cfg.setWindowWaitTimeout(60_000);
      SmppSession ch = client.bind(cfg, new DefaultSmppSessionHandler() {
        @Override
        public void fireExpectedPduResponseReceived(com.cloudhopper.smpp.PduAsyncResponse response) {
          PduResponse r = response.getResponse();
          if (r.getCommandStatus() != 0) {
            refused.incrementAndGet();
          }
          responses.get().countDown();
        }
      });
      SmppSmsProvider provider = SmppSmsProvider.builder().name("bench").host(smsc.host()).port(smsc.port())
          .systemId("bench").password("bench").binds(1).window(WINDOW).queueCapacity(Math.max(messages, 1000))
          .responseTimeout(Duration.ofSeconds(10)).defaultOriginator(FROM).build();
      BenchProviders.started(provider);
      try {
        runCloudhopper(ch, responses, Math.max(1000, messages / 2));
        runProvider(provider, Math.max(1000, messages / 2));
        List<double[]> out = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          smsc.clearReceived();
          double[] chFig;
          double[] provFig;
          if (round % 2 == 0) {
            chFig = runCloudhopper(ch, responses, messages);
            smsc.clearReceived();
            provFig = runProvider(provider, messages);
          } else {
            provFig = runProvider(provider, messages);
            smsc.clearReceived();
            chFig = runCloudhopper(ch, responses, messages);
          }
          out.add(new double[] {chFig[0], provFig[0], chFig[1], provFig[1]});
        }
        if (refused.get() > 0) {
          throw new IllegalStateException("cloudhopper: " + refused.get() + " submits refused");
        }
        System.out.println("round  cloudhopper async msg/s  SmppSmsProvider msg/s  ratio  CPU us/msg cloudhopper"
            + "  provider  CPU ratio");
        double[] ratios = new double[out.size()];
        double[] cpuRatios = new double[out.size()];
        for (int i = 0; i < out.size(); i++) {
          double[] x = out.get(i);
          ratios[i] = x[1] / x[0];
          cpuRatios[i] = x[3] / x[2];
          System.out.printf(Locale.ROOT, "%5d  %23.0f  %20.0f  %5.3f  %22.1f  %8.1f  %9.3f%n", i + 1, x[0], x[1],
              ratios[i], x[2], x[3], cpuRatios[i]);
        }
        System.out.printf(Locale.ROOT, "median ratio %.3f (goal >= 1.2), CPU ratio %.3f (CPU of the whole process:"
            + " client and the in-process SMSC); load average %s%n", Median.of(ratios), Median.of(cpuRatios),
            SmppThroughputBenchmark.loadAverage());
      } finally {
        provider.close();
        ch.unbind(5_000);
        ch.destroy();
      }
    } finally {
      client.destroy();
      io.shutdownNow();
    }
  }

  /** Returns {msg/s, CPU microseconds per message}. */
  private static double[] runCloudhopper(SmppSession session, AtomicReference<CountDownLatch> responses,
      int messages) throws Exception {
    CountDownLatch done = new CountDownLatch(messages);
    responses.set(done);
    long cpu0 = SmppThroughputBenchmark.cpu();
    long t0 = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      // what a caller of cloudhopper does for one message: plan, encode, build the PDU, send without waiting
      byte[] body = Gsm7.encode(SmsEncoding.plan(TEXT).text());
      SubmitSm sm = new SubmitSm();
      sm.setSourceAddress(new Address((byte) 1, (byte) 1, FROM.address().substring(1)));
      sm.setDestAddress(new Address((byte) 1, (byte) 1, TO.digits()));
      sm.setShortMessage(body);
      session.sendRequestPdu(sm, 10_000, false);
    }
    if (!done.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("cloudhopper: responses missing");
    }
    long nanos = System.nanoTime() - t0;
    return new double[] {messages * 1e9 / nanos, (SmppThroughputBenchmark.cpu() - cpu0) / 1e3 / messages};
  }

  /** Returns {msg/s, CPU microseconds per message}; the caller keeps at most 4 x window sends outstanding, as in {@link SmppThroughputBenchmark}. */
  private static double[] runProvider(SmppSmsProvider provider, int messages) throws Exception {
    return BenchProviders.run(provider, TO, TEXT, WINDOW * 4, messages);
  }
}
