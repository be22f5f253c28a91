package dev.smsgateway.benchmarks;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.smpp.wire.QuietPduSender;
import dev.smsgateway.test.smsc.SmscSimulator;
import dev.smsgateway.text.Gsm7;
import dev.smsgateway.text.SegmentPlan;
import dev.smsgateway.text.SmsEncoding;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.socket.SocketConnection;

/**
 * Submit throughput over loopback: {@link SmppSmsProvider} against a raw jsmpp client doing the same submits (same
 * text, addresses, data coding, window and number of binds, both with TCP_NODELAY) against the same
 * {@link SmscSimulator}, in one JVM run. Rounds alternate which client goes first; the result is the median of the
 * per-round ratios (docs/performance.md: shared 2-core machines vary by about 30%, never compare across runs).
 *
 * <p>Run: {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench -Dbench.args="--messages 20000
 * --rounds 7 --window 16 --binds 2"}.
 *
 * <p>Not thread-safe; a program.
 */
public final class SmppThroughputBenchmark {

  private static final PhoneNumber TO = PhoneNumber.of("+4915112345678");
  private static final Originator FROM = Originator.longCode(PhoneNumber.of("+14155550100"));
  // jsmpp's default PDU processing threads per session; both clients use it
  private static final int PDU_THREADS = 3;
  static final String TEXT = "Your appointment is confirmed for Tuesday at 10:30. Reply STOP to opt out.";

  /** One round's figures. */
  record Round(double rawRate, double providerRate, double rawCpuMicros, double providerCpuMicros) {
    double ratio() {
      return providerRate / rawRate;
    }

    double cpuRatio() {
      return providerCpuMicros / rawCpuMicros;
    }
  }

  /** The whole result. */
  record Result(List<Round> rounds, double medianRatio, double medianCpuRatio, double medianRaw,
      double medianProvider) {}

  private SmppThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = 20_000;
    int rounds = 7;
    int window = 16;
    int binds = 2;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--messages" -> messages = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--window" -> window = Integer.parseInt(args[i + 1]);
        case "--binds" -> binds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --messages N --rounds N --window N --binds N");
      }
    }
    System.out.printf(Locale.ROOT, "SMPP submit throughput, loopback, %d messages/round, %d rounds (+1 warm-up),"
        + " window %d x %d binds, Java %s, %d CPUs%n", messages, rounds, window, binds,
        Runtime.version(), Runtime.getRuntime().availableProcessors());
    Result r = run(messages, rounds, window, binds);
    System.out.println("round  raw jsmpp msg/s  SmppSmsProvider msg/s  ratio  CPU us/msg raw  provider  CPU ratio");
    for (int i = 0; i < r.rounds().size(); i++) {
      Round x = r.rounds().get(i);
      System.out.printf(Locale.ROOT, "%5d  %15.0f  %20.0f  %5.3f  %14.1f  %8.1f  %9.3f%n", i + 1, x.rawRate(),
          x.providerRate(), x.ratio(), x.rawCpuMicros(), x.providerCpuMicros(), x.cpuRatio());
    }
    System.out.printf(Locale.ROOT, "median: raw jsmpp %.0f msg/s, SmppSmsProvider %.0f msg/s, ratio %.3f (target >="
        + " 0.95), CPU ratio %.3f (target <= 1.10; CPU includes the in-process SMSC); load average %s%n",
        r.medianRaw(), r.medianProvider(), r.medianRatio(), r.medianCpuRatio(), loadAverage());
  }

  /** Runs the benchmark and returns the per-round figures (also used by the smoke test). */
  static Result run(int messages, int rounds, int window, int binds) throws Exception {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("bench", "bench").pduThreads(window + 2).build()
        .start()) {
      List<SMPPSession> raw = new ArrayList<>();
      for (int i = 0; i < binds; i++) {
        raw.add(rawSession(smsc));
      }
      SmppSmsProvider provider = SmppSmsProvider.builder().name("bench").host(smsc.host()).port(smsc.port())
          .systemId("bench").password("bench").binds(binds).window(window).queueCapacity(window * binds * 8)
          .responseTimeout(Duration.ofSeconds(10)).defaultOriginator(FROM).pduThreads(PDU_THREADS)
          .build();
      BenchProviders.started(provider);
      if (!smsc.awaitBound(binds * 2, Duration.ofSeconds(10))) {
        throw new IllegalStateException("provider did not bind");
      }
      try {
        // warm-up round, not counted
        runRaw(raw, window, Math.max(1000, messages / 2));
        runProvider(provider, window * binds, Math.max(1000, messages / 2));
        smsc.clearReceived();
        List<Round> out = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          double[] rawFig;
          double[] provFig;
          smsc.clearReceived();
          if (round % 2 == 0) {
            rawFig = runRaw(raw, window, messages);
            smsc.clearReceived();
            provFig = runProvider(provider, window * binds, messages);
          } else {
            provFig = runProvider(provider, window * binds, messages);
            smsc.clearReceived();
            rawFig = runRaw(raw, window, messages);
          }
          out.add(new Round(rawFig[0], provFig[0], rawFig[1], provFig[1]));
        }
        return new Result(out, Median.of(out.stream().mapToDouble(Round::ratio).toArray()),
            Median.of(out.stream().mapToDouble(Round::cpuRatio).toArray()),
            Median.of(out.stream().mapToDouble(Round::rawRate).toArray()),
            Median.of(out.stream().mapToDouble(Round::providerRate).toArray()));
      } finally {
        provider.close();
        raw.forEach(SMPPSession::unbindAndClose);
      }
    }
  }

  private static SMPPSession rawSession(SmscSimulator smsc) throws IOException {
    // the same socket options as SmppSmsProvider (TCP_NODELAY), so the comparison is about the client code only; and,
    // like the provider, a PDU sender that does not hex-dump every submit_sm at DEBUG (X1)
    SMPPSession s = new SMPPSession(new QuietPduSender(), new DefaultPDUReader(), (host, port) -> {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5000);
      return new SocketConnection(socket);
    });
    s.setTransactionTimer(10_000);
    s.setPduProcessorDegree(PDU_THREADS);
    s.setEnquireLinkTimer(30_000);
    s.connectAndBind(smsc.host(), smsc.port(), new BindParameter(BindType.BIND_TRX, "bench", "bench", "",
        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, ""));
    return s;
  }

  /** Returns {msg/s, CPU microseconds per message}. */
  private static double[] runRaw(List<SMPPSession> sessions, int window, int messages) throws Exception {
    AtomicInteger left = new AtomicInteger(messages);
    AtomicInteger failed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (SMPPSession s : sessions) {
      for (int w = 0; w < window; w++) {
        threads.add(new Thread(() -> {
          while (left.getAndDecrement() > 0) {
            try {
              // what a caller of raw jsmpp does for one message: plan, encode, submit
              SegmentPlan plan = SmsEncoding.plan(TEXT);
              byte[] body = Gsm7.encode(plan.text());
              s.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, FROM.address()
                  .substring(1), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, TO.digits(),
                  new ESMClass(), (byte) 0, (byte) 0, null, null, new RegisteredDelivery(0), (byte) 0,
                  DataCodings.ZERO, (byte) 0, body);
            } catch (Exception e) {
              failed.incrementAndGet();
            }
          }
        }));
      }
    }
    long cpu0 = cpu();
    long t0 = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    long nanos = System.nanoTime() - t0;
    long cpu = cpu() - cpu0;
    if (failed.get() > 0) {
      throw new IllegalStateException("raw jsmpp: " + failed.get() + " submits failed");
    }
    return new double[] {messages * 1e9 / nanos, cpu / 1e3 / messages};
  }

  private static double[] runProvider(SmppSmsProvider provider, int outstanding, int messages) throws Exception {
    // the window (outstanding submit_sm per bind) is the provider's; the caller keeps its local queue topped up, as
    // the raw threads always have their next message at hand
    return BenchProviders.run(provider, TO, TEXT, outstanding * 4, messages);
  }

  /** The 1, 5 and 15-minute load averages as {@code uptime} prints them, or "n/a": how busy the shared machine was. */
  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return one < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", one);
    }
  }

  static long cpu() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }
}
