package dev.smsgateway.benchmarks.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link RoutingDecisionBenchmark} in interleaved rounds (engine and baseline, alternating which goes first) and
 * prints each round's ratio of engine to baseline throughput and the median ratio. Machines here are shared and
 * noisy; the ratio within a round is what counts. Target: median ratio at least 0.5.
 *
 * <p>Usage: {@code RoutingBenchmarkMain [rounds] [--components] [--gc]} (default 5 rounds). With {@code
 * --components}, each round also runs {@link RoutingComponentsBenchmark} and prints each piece's cost (time per
 * operation) as a multiple of the baseline lookup's in that round, the cost of an opening derived from the engine's
 * mix and its joins, and the engine's ratio to {@code baselineWrites}. With {@code --gc}, every run also has JMH's GC
 * profiler ({@code -prof gc}), and each round prints the bytes allocated per operation ({@code gc.alloc.rate.norm})
 * of the engine and of building the arriving message alone ({@code RoutingComponentsBenchmark.message}), and their
 * difference: what the decision itself allocates. With {@code --alloc}, it only measures allocation, exactly over the
 * engine's mix: JMH's GC profiler on single-shot operations of 2^20 calls each (all four passes, so every operation
 * holds the same openings and joins, which 1 s iterations do not: openings come first in each pass), 3 warm-up and 3
 * measured operations, for {@code engine} and for building the message alone; prints bytes per call of each and
 * their difference.
 *
 * <p>With {@code --writes}, each round measures {@code engine}, {@code baselineWrites} and {@code baseline} (the
 * lookup) over whole operations of exactly the engine's mix (single-shot operations of 2^20 calls, all four passes,
 * so every operation holds the same openings and joins; 3 warm-up and 5 measured operations per side, each side in its
 * own JVM), the order rotated from round to round, with JMH's GC profiler; it prints per round the time per call of
 * each side (median of its 5 operations, and their range), the share of each side's time spent in garbage collection,
 * and the ratios engine / {@code baselineWrites}, engine / lookup and {@code baselineWrites} / lookup (throughput
 * ratios: above 1 means faster), then the median and range of each ratio over the rounds.
 */
public final class RoutingBenchmarkMain {

  private static String logbackConfig;

  private RoutingBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException, java.io.IOException {
    int rounds = 5;
    boolean components = false;
    for (String arg : args) {
      if (arg.equals("--components")) {
        components = true;
      } else if (arg.equals("--gc")) {
        gc = true;
      } else if (arg.equals("--alloc")) {
        alloc = true;
      } else if (arg.equals("--writes")) {
        writes = true;
      } else {
        rounds = Integer.parseInt(arg);
      }
    }
    // The engine logs each decision at INFO, and it does so here: RoutingEngine's logger is at INFO, so every decision
    // builds and dispatches its logging event. The event goes to a NOPAppender: what writing it costs (formatting,
    // console or file I/O) depends on the application's appender, not on routing. Everything else logs at WARN.
    java.nio.file.Path config = java.nio.file.Files.createTempFile("routing-bench-logback", ".xml");
    config.toFile().deleteOnExit();
    java.nio.file.Files.writeString(config, "<configuration>"
        + "<appender name=\"C\" class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%msg%n</pattern>"
        + "</encoder></appender>"
        + "<appender name=\"NOP\" class=\"ch.qos.logback.core.helpers.NOPAppender\"/>"
        + "<logger name=\"dev.smsgateway.routing.RoutingEngine\" level=\"INFO\" additivity=\"false\">"
        + "<appender-ref ref=\"NOP\"/></logger>"
        + "<root level=\"WARN\"><appender-ref ref=\"C\"/></root></configuration>");
    logbackConfig = config.toString();
    if (alloc) {
      double engineBytes = allocPerCall(RoutingDecisionBenchmark.class, "engine");
      double messageBytes = allocPerCall(RoutingComponentsBenchmark.class, "message");
      System.out.printf(Locale.ROOT, "allocation over all four passes (2^20 decisions, 3 operations after 3 warm-up):"
          + " engine %.1f B per decision, building the message alone %.1f B, so the decision %.1f B (goal <= 256)%n",
          engineBytes, messageBytes, engineBytes - messageBytes);
      return;
    }
    if (writes) {
      wholeMixRounds(rounds);
      return;
    }
    List<Double> ratios = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      boolean engineFirst = round % 2 == 1;
      double a = run(RoutingDecisionBenchmark.class, engineFirst ? "engine" : "baseline");
      double firstAlloc = lastAlloc;
      double b = run(RoutingDecisionBenchmark.class, engineFirst ? "baseline" : "engine");
      double engineAlloc = engineFirst ? firstAlloc : lastAlloc;
      double engine = engineFirst ? a : b;
      double baseline = engineFirst ? b : a;
      double ratio = engine / baseline;
      ratios.add(ratio);
      lines.add(String.format(Locale.ROOT, "round %d: engine %,.0f decisions/s (%.0f ns), baseline %,.0f lookups/s "
          + "(%.0f ns), ratio %.2f", round, engine, 1e9 / engine, baseline, 1e9 / baseline, ratio));
      if (gc) {
        double messageAlloc = runAlloc(RoutingComponentsBenchmark.class, "message");
        lines.add(String.format(Locale.ROOT, "round %d allocation: engine %.1f B/op, building the message alone %.1f"
            + " B/op, so the decision %.1f B (goal <= 256)", round, engineAlloc, messageAlloc,
            engineAlloc - messageAlloc));
      }
      if (components) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d pieces, cost as a multiple of the "
            + "baseline lookup (engine decision: %.2f):", round, baseline / engine));
        double joinPerSecond = 0;
        for (String piece : List.of("message", "logLine", "storeJoin", "engineJoin")) {
          double perSecond = run(RoutingComponentsBenchmark.class, piece);
          line.append(String.format(Locale.ROOT, " %s %.0f ns = %.2f;", piece, 1e9 / perSecond, baseline / perSecond));
          joinPerSecond = perSecond;
        }
        double writes = run(RoutingDecisionBenchmark.class, "baselineWrites");
        line.append(String.format(Locale.ROOT, " baselineWrites %.0f ns = %.2f (engine/baselineWrites ratio %.2f);",
            1e9 / writes, baseline / writes, engine / writes));
        // The engine's time is share * opening + (1 - share) * join; solve for the opening.
        double share = RoutingDecisionBenchmark.openingShare(Integer.parseInt(RoutingDecisionBenchmark.CUSTOMERS));
        double opening = (1 / engine - (1 - share) / joinPerSecond) / share;
        line.append(String.format(Locale.ROOT, " so an opening (%.1f%% of decisions) %.0f ns = %.2f", 100 * share,
            1e9 * opening, opening * baseline));
        lines.add(line.toString());
      }
    }
    lines.forEach(System.out::println);
    List<Double> sorted = new ArrayList<>(ratios);
    sorted.sort(Double::compare);
    double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    System.out.printf(Locale.ROOT, "median ratio engine/baseline over %d rounds: %.2f (target >= 0.50): %s%n", rounds,
        median, median >= 0.5 ? "MET" : "NOT MET");
  }

  private static boolean gc;
  private static boolean alloc;
  private static boolean writes;

  /** One side's figures over whole operations of the engine's mix. */
  private record Whole(double nsPerCall, double minNs, double maxNs, double gcShare) {}

  /** {@code --writes}: engine, baselineWrites and the lookup over whole operations of the mix, rotated per round. */
  private static void wholeMixRounds(int rounds) throws RunnerException {
    String[] sides = {"engine", "baselineWrites", "baseline"};
    List<Double> vsWrites = new ArrayList<>();
    List<Double> vsLookup = new ArrayList<>();
    List<Double> writesVsLookup = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      java.util.Map<String, Whole> figures = new java.util.HashMap<>();
      StringBuilder order = new StringBuilder();
      for (int i = 0; i < sides.length; i++) {
        String side = sides[(round - 1 + i) % sides.length];
        order.append(i == 0 ? "" : ", ").append(side);
        figures.put(side, whole(side));
      }
      Whole engine = figures.get("engine");
      Whole plain = figures.get("baselineWrites");
      Whole lookup = figures.get("baseline");
      vsWrites.add(plain.nsPerCall() / engine.nsPerCall());
      vsLookup.add(lookup.nsPerCall() / engine.nsPerCall());
      writesVsLookup.add(lookup.nsPerCall() / plain.nsPerCall());
      String line = String.format(Locale.ROOT, "round %d (%s; load %s): engine %.0f ns (%.0f-%.0f, GC %.0f%%),"
          + " baselineWrites %.0f ns (%.0f-%.0f, GC %.0f%%), lookup %.0f ns (%.0f-%.0f, GC %.0f%%);"
          + " engine/baselineWrites %.2f, engine/lookup %.2f, baselineWrites/lookup %.2f", round, order, load(),
          engine.nsPerCall(), engine.minNs(), engine.maxNs(), 100 * engine.gcShare(), plain.nsPerCall(),
          plain.minNs(), plain.maxNs(), 100 * plain.gcShare(), lookup.nsPerCall(), lookup.minNs(), lookup.maxNs(),
          100 * lookup.gcShare(), vsWrites.get(round - 1), vsLookup.get(round - 1), writesVsLookup.get(round - 1));
      System.out.println(line);
      lines.add(line);
    }
    lines.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "over %d rounds: engine/baselineWrites %s (goal >= 1.0); engine/lookup %s (goal"
        + " >= 0.5); baselineWrites/lookup %s (the most engine/lookup can be while engine/baselineWrites <= 1)%n",
        rounds, spread(vsWrites), spread(vsLookup), spread(writesVsLookup));
  }

  private static String spread(List<Double> values) {
    return RoutingCpuRounds.spread(values);
  }

  private static String load() {
    return RoutingCpuRounds.load();
  }

  /** {@code method} of {@link RoutingDecisionBenchmark} over single-shot operations of 2^20 calls: the whole mix. */
  private static Whole whole(String method) throws RunnerException {
    int calls = 1 << 20;
    Options options = new OptionsBuilder()
        .include(RoutingDecisionBenchmark.class.getName() + "\\." + method + "$")
        .addProfiler(org.openjdk.jmh.profile.GCProfiler.class)
        .mode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
        .timeUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .measurementBatchSize(calls)
        .warmupBatchSize(calls)
        .forks(1)
        .threads(1)
        .warmupIterations(3)
        .measurementIterations(5)
        .jvmArgsAppend("-Xms2g", "-Xmx2g", "-Dlogback.configurationFile=" + logbackConfig)
        .build();
    RunResult result = new Runner(options).run().iterator().next();
    org.openjdk.jmh.util.Statistics stats = result.getPrimaryResult().getStatistics();
    double perCall = 1e6 / calls; // ms per operation -> ns per call
    double gcMs = result.getSecondaryResults().get("gc.time").getScore(); // summed over the measured operations
    return new Whole(stats.getPercentile(50) * perCall, stats.getMin() * perCall, stats.getMax() * perCall,
        gcMs / (stats.getMean() * stats.getN()));
  }

  /** Bytes allocated per call of {@code method}, over single-shot operations of 2^20 calls (JMH's GC profiler). */
  private static double allocPerCall(Class<?> benchmark, String method) throws RunnerException {
    int calls = 1 << 20;
    Options options = new OptionsBuilder()
        .include(benchmark.getName() + "\\." + method + "$")
        .addProfiler(org.openjdk.jmh.profile.GCProfiler.class)
        .mode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
        .measurementBatchSize(calls)
        .warmupBatchSize(calls)
        .forks(1)
        .threads(1)
        .warmupIterations(3)
        .measurementIterations(3)
        .jvmArgsAppend("-Xms2g", "-Xmx2g", "-Dlogback.configurationFile=" + logbackConfig)
        .build();
    RunResult result = new Runner(options).run().iterator().next();
    return result.getSecondaryResults().get("gc.alloc.rate.norm").getScore() / calls;
  }
  /** gc.alloc.rate.norm of the last {@link #run} with {@code --gc}. */
  private static double lastAlloc;

  private static double runAlloc(Class<?> benchmark, String method) throws RunnerException {
    run(benchmark, method);
    return lastAlloc;
  }

  private static double run(Class<?> benchmark, String method) throws RunnerException {
    OptionsBuilder builder = new OptionsBuilder();
    if (gc) {
      builder.addProfiler(org.openjdk.jmh.profile.GCProfiler.class);
    }
    Options options = builder
        .include(benchmark.getName() + "\\." + method + "$")
        .forks(1)
        .threads(1)
        .warmupIterations(8)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgsAppend("-Xms2g", "-Xmx2g", "-Dlogback.configurationFile=" + logbackConfig)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    RunResult result = results.iterator().next();
    if (gc) {
      lastAlloc = result.getSecondaryResults().get("gc.alloc.rate.norm").getScore();
    }
    return result.getPrimaryResult().getScore();
  }
}
