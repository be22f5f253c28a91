package dev.smsgateway.benchmarks.text;

import dev.smsgateway.benchmarks.Median;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Usage: {@code GsmEncodingBenchmarkMain [rounds]} (default 3); each round is one JMH fork per side with 3 warm-up
 * and 3 measured iterations of 1 s per text. Not thread-safe; a program.
 */
public final class GsmEncodingBenchmarkMain {

  private GsmEncodingBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
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
