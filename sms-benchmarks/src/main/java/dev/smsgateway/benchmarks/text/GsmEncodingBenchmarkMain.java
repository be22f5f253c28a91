package dev.smsgateway.benchmarks.text;

import dev.smsgateway.benchmarks.Median;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link GsmEncodingBenchmark} in rounds, alternating which side goes first, and prints for each text the
 * per-round ratio of cloudhopper's time to sms-gateway's (how many times faster encode + segment is) and the median.
 * Goal: at least 20x on every text.
 *
 * <p>JMH measures wall-clock time, which on a shared machine includes the time the thread waits for a core. So the
 * program then measures both sides again in-process by the thread's CPU time ({@link ThreadMXBean}), interleaved
 * per text, and prints those ratios too; with {@code --cpu-only} it skips JMH. Run it with a fixed, pre-touched heap
 * (the {@code bench-gsm} profile passes {@code -Xms512m -Xmx512m -XX:+AlwaysPreTouch}, the heap JMH's forks get): a
 * heap that grows during a round makes the allocating side pay the kernel's page faults in its thread CPU time.
 *
 * <p>Usage: {@code GsmEncodingBenchmarkMain [rounds] [--cpu-only]} (default 3); each JMH round is one JMH fork per
 * side with 3 warm-up and 3 measured iterations of 1 s per text. Not thread-safe; a program.
 */
public final class GsmEncodingBenchmarkMain {

  private GsmEncodingBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException {
    int rounds = 3;
    boolean cpuOnly = false;
    for (String arg : args) {
      if (arg.equals("--cpu-only")) {
        cpuOnly = true;
      } else {
        rounds = Integer.parseInt(arg);
      }
    }
    if (!cpuOnly) {
      jmh(rounds);
    }
    cpuTime(rounds);
  }

  private static void jmh(int rounds) throws RunnerException {
    Map<String, double[]> ratios = new LinkedHashMap<>();
    Map<String, double[]> ours = new LinkedHashMap<>();
    Map<String, double[]> theirs = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      boolean oursFirst = round % 2 == 0;
      Map<String, Double> a = run(oursFirst ? "smsGateway" : "cloudhopper");
      Map<String, Double> b = run(oursFirst ? "cloudhopper" : "smsGateway");
      Map<String, Double> gateway = oursFirst ? a : b;
      Map<String, Double> cloudhopper = oursFirst ? b : a;
      for (String text : gateway.keySet()) {
        ratios.computeIfAbsent(text, k -> new double[rounds])[round] = cloudhopper.get(text) / gateway.get(text);
        ours.computeIfAbsent(text, k -> new double[rounds])[round] = gateway.get(text);
        theirs.computeIfAbsent(text, k -> new double[rounds])[round] = cloudhopper.get(text);
      }
    }
    System.out.printf(Locale.ROOT, "GSM-7 encode + segment (sms-gateway) vs cloudhopper's GSMCharset.encode, %d rounds,"
        + " Java %s, %d CPUs%n", rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
    System.out.println("text                         sms-gateway ns  cloudhopper ns  rounds (x faster)     median");
    double worst = Double.MAX_VALUE;
    for (String text : ratios.keySet()) {
      StringBuilder perRound = new StringBuilder();
      for (double r : ratios.get(text)) {
        perRound.append(String.format(Locale.ROOT, " %5.1f", r));
      }
      double median = Median.of(ratios.get(text));
      worst = Math.min(worst, median);
      System.out.printf(Locale.ROOT, "%-28s %14.0f  %14.0f  %-20s %6.1fx%n", text, Median.of(ours.get(text)),
          Median.of(theirs.get(text)), perRound, median);
    }
    System.out.printf(Locale.ROOT, "lowest median %.1fx (goal >= 20x): %s%n", worst, worst >= 20 ? "MET" : "NOT MET");
  }

  /**
   * Both sides in this thread, by CPU time: per text and round, a warm-up, then sms-gateway and cloudhopper
   * alternately first, each for at least 200 ms of CPU.
   */
  private static void cpuTime(int rounds) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "%nCPU time per operation (ThreadMXBean, in-process, interleaved), %d rounds, load"
        + " average %.1f at the start%n", rounds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("text                         sms-gateway ns  cloudhopper ns  rounds (x faster)     median");
    double worst = Double.MAX_VALUE;
    for (int length : new int[] {70, 160, 300, 1000}) {
      for (boolean extension : new boolean[] {true, false}) {
        GsmEncodingBenchmark b = new GsmEncodingBenchmark();
        b.length = length;
        b.extension = extension;
        b.text();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly"
            + " is dangerous.");
        cpuNanos(mx, () -> b.smsGateway(bh), 1_500_000_000L);
        cpuNanos(mx, () -> bh.consume(b.cloudhopper()), 1_500_000_000L);
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          if (r % 2 == 0) {
            ours[r] = cpuNanos(mx, () -> b.smsGateway(bh), 200_000_000L);
            theirs[r] = cpuNanos(mx, () -> bh.consume(b.cloudhopper()), 200_000_000L);
          } else {
            theirs[r] = cpuNanos(mx, () -> bh.consume(b.cloudhopper()), 200_000_000L);
            ours[r] = cpuNanos(mx, () -> b.smsGateway(bh), 200_000_000L);
          }
          ratios[r] = theirs[r] / ours[r];
        }
        StringBuilder perRound = new StringBuilder();
        for (double r : ratios) {
          perRound.append(String.format(Locale.ROOT, " %5.1f", r));
        }
        double median = Median.of(ratios);
        worst = Math.min(worst, median);
        System.out.printf(Locale.ROOT, "%4d chars, %-16s %14.0f  %14.0f  %-20s %6.1fx%n", length,
            extension ? "extension" : "no extension", Median.of(ours), Median.of(theirs), perRound, median);
      }
    }
    System.out.printf(Locale.ROOT, "lowest median by CPU time %.1fx (goal >= 20x): %s; load average %.1f at the end%n",
        worst, worst >= 20 ? "MET" : "NOT MET", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** CPU nanoseconds per call of {@code op}, calling it in batches until {@code budget} CPU nanoseconds passed. */
  private static double cpuNanos(ThreadMXBean mx, Runnable op, long budget) {
    long start = mx.getCurrentThreadCpuTime();
    long calls = 0;
    long used;
    do {
      for (int i = 0; i < 1_000; i++) {
        op.run();
      }
      calls += 1_000;
      used = mx.getCurrentThreadCpuTime() - start;
    } while (used < budget);
    return used / (double) calls;
  }

  /** Nanoseconds per operation of one side, keyed by text ("300 chars, extension"). */
  private static Map<String, Double> run(String method) throws RunnerException {
    Options options = new OptionsBuilder()
        .include(GsmEncodingBenchmark.class.getName() + "\\." + method + "$")
        .forks(1)
        .threads(1)
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(3)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgsAppend("-Xms512m", "-Xmx512m")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Double> scores = new LinkedHashMap<>();
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort((x, y) -> key(x).compareTo(key(y)));
    for (RunResult r : sorted) {
      scores.put(key(r), r.getPrimaryResult().getScore());
    }
    return scores;
  }

  private static String key(RunResult r) {
    var params = r.getParams();
    return String.format(Locale.ROOT, "%4s chars, %s", params.getParam("length"),
        Boolean.parseBoolean(params.getParam("extension")) ? "extension" : "no extension");
  }
}
