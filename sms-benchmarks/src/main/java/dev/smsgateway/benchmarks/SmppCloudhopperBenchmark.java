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
 * <p>Both clients share the machine's cores with the in-process SMSC, whose CPU per message depends on how each client
 * writes (a client that keeps the SMSC's threads busy costs it less than one that wakes them for every PDU). To see a
 * client's own costs, run the SMSC in another JVM ({@link SmscServer}) and one client at a time: {@code --smsc-port N
 * --only provider} (or {@code cloudhopper}) prints that client's msg/s and its process's CPU per message, and
 * {@code perf stat -e task-clock,context-switches,raw_syscalls:sys_enter} on either process counts per message.
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
    int smscPort = 0;
    String only = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--messages" -> messages = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--smsc-port" -> smscPort = Integer.parseInt(args[i + 1]);
        case "--only" -> only = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --messages N"
            + " --rounds N --smsc-port N --only cloudhopper|provider");
      }
    }
    if (only != null && !only.equals("cloudhopper") && !only.equals("provider")) {
      throw new IllegalArgumentException("--only takes cloudhopper or provider: " + only);
    }
    System.out.printf(Locale.ROOT, "SMPP submit throughput, loopback, window %d x 1 bind, %d messages/round, %d"
        + " rounds (+1 warm-up), Java %s, %d CPUs%s%n", WINDOW, messages, rounds, Runtime.version(),
        Runtime.getRuntime().availableProcessors(), smscPort == 0 ? "" : ", SMSC in another process (port "
            + smscPort + "): CPU per message is this client's alone");
    if (smscPort != 0) {
      // an SmscServer started in another JVM clears what it received by itself
      run(SmscServer.HOST, smscPort, null, messages, rounds, only);
      return;
    }
    try (SmscSimulator smsc = SmscServer.simulator()) {
      run(smsc.host(), smsc.port(), smsc, messages, rounds, only);
    }
  }

  /** {@code smsc} null: the SMSC runs in another process (and clears what it received by itself). */
  private static void run(String host, int port, SmscSimulator smsc, int messages, int rounds, String only)
      throws Exception {
    Runnable clearReceived = smsc == null ? () -> { } : smsc::clearReceived;
    ExecutorService io = Executors.newCachedThreadPool();
    DefaultSmppClient client = new DefaultSmppClient(io, 1);
    try {
      AtomicReference<CountDownLatch> responses = new AtomicReference<>(new CountDownLatch(0));
      AtomicInteger refused = new AtomicInteger();
      SmppSessionConfiguration cfg = new SmppSessionConfiguration(SmppBindType.TRANSCEIVER, "bench", "bench");
      cfg.setName("cloudhopper");
      cfg.setHost(host);
      cfg.setPort(port);
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
      SmppSmsProvider provider = SmppSmsProvider.builder().name("bench").host(host).port(port)
          .systemId("bench").password("bench").binds(1).window(WINDOW).queueCapacity(Math.max(messages, 1000))
          .responseTimeout(Duration.ofSeconds(10)).defaultOriginator(FROM).build();
      BenchProviders.started(provider);
      try {
        boolean runCh = !"provider".equals(only);
        boolean runProv = !"cloudhopper".equals(only);
        if (runCh) {
          runCloudhopper(ch, responses, Math.max(1000, messages / 2));
        }
        if (runProv) {
          runProvider(provider, Math.max(1000, messages / 2));
        }
        List<double[]> out = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          clearReceived.run();
          double[] chFig = {Double.NaN, Double.NaN};
          double[] provFig = {Double.NaN, Double.NaN};
          if (round % 2 == 0) {
            chFig = runCh ? runCloudhopper(ch, responses, messages) : chFig;
            clearReceived.run();
            provFig = runProv ? runProvider(provider, messages) : provFig;
          } else {
            provFig = runProv ? runProvider(provider, messages) : provFig;
            clearReceived.run();
            chFig = runCh ? runCloudhopper(ch, responses, messages) : chFig;
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
        if (only == null) {
          System.out.printf(Locale.ROOT, "median ratio %.3f (goal >= 1.2), CPU ratio %.3f (CPU of the whole process:"
              + " client%s); load average %s%n", Median.of(ratios), Median.of(cpuRatios),
              smsc == null ? " alone" : " and the in-process SMSC", SmppThroughputBenchmark.loadAverage());
        } else {
          int column = runCh ? 0 : 1;
          System.out.printf(Locale.ROOT, "%s alone: median %.0f msg/s, CPU %.1f us/msg; load average %s%n", only,
              Median.of(out.stream().mapToDouble(x -> x[column]).toArray()),
              Median.of(out.stream().mapToDouble(x -> x[column + 2]).toArray()), SmppThroughputBenchmark.loadAverage());
        }
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
