package dev.smsgateway.benchmarks.routing;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The routing decision against {@code baselineWrites} and the bare lookup of {@link RoutingDecisionBenchmark}, in one
 * JVM, by the CPU time the process spends (garbage collection and every other thread included): each round runs
 * each side over exactly the engine's mix (2^20 calls: all four passes, each from an empty store), the order rotated
 * from round to round, so the sides alternate every few seconds and share whatever the machine does meanwhile. CPU
 * time rather than elapsed time: on a shared machine the elapsed time of a pass grows with the load of other
 * processes, which JMH's separate forks, minutes apart, see differently (the main source of the earlier rounds'
 * spread); CPU time only counts while this process runs, and garbage collection, a third of either side's cost, is
 * in it. Before each side's pass the other side's conversations are let go and the heap is collected (outside the
 * measurement), so that neither side pays for collecting what the other kept.
 *
 * <p>Two more sides give {@code baselineWrites} and the lookup the engine's own input ({@code
 * baselineWritesOnMessage}, {@code baselineOnMessage}: the same {@code InboundSms}, built the same way, where the
 * plain sides start from the number's string alone), so that their ratios compare the decision alone, as the
 * allocation figure does; both sets of ratios are printed.
 *
 * <p>Usage: {@code RoutingCpuRounds [rounds] [warm-up rounds]} (default 9 and 3). Prints per round each side's CPU
 * and elapsed nanoseconds per call, the GC time share, and the ratios (throughput ratios from CPU time: above 1 means
 * the engine is cheaper), then the median and range of each ratio. Run it with {@code -Xms2g -Xmx2g} as
 * {@link RoutingBenchmarkMain} does (and {@code -Xmn1g} to keep collections out of a pass); the module's
 * {@code logback.xml} builds and drops the engine's INFO line, as there.
 *
 * <p>Not thread-safe; a program.
 */
public final class RoutingCpuRounds {

  private static final int CALLS = 1 << 20;
  private static volatile long sink;

  private RoutingCpuRounds() {}

  /** One side's cost over one whole mix. */
  private record Cost(double cpuNs, double wallNs, double gcShare) {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    RoutingDecisionBenchmark bench = new RoutingDecisionBenchmark();
    bench.customers = Integer.parseInt(RoutingDecisionBenchmark.CUSTOMERS);
    bench.records();
    String[] sides = {"engine", "baselineWrites", "lookup", "baselineWritesOnMessage", "lookupOnMessage"};
    List<Double> vsWrites = new ArrayList<>();
    List<Double> vsLookup = new ArrayList<>();
    List<Double> writesVsLookup = new ArrayList<>();
    List<Double> vsWritesSameInput = new ArrayList<>();
    List<Double> vsLookupSameInput = new ArrayList<>();
    for (int round = 1 - warmUp; round <= rounds; round++) {
      java.util.Map<String, Cost> costs = new java.util.HashMap<>();
      StringBuilder order = new StringBuilder();
      int first = Math.floorMod(round, sides.length);
      for (int i = 0; i < sides.length; i++) {
        String side = sides[(first + i) % sides.length];
        order.append(i == 0 ? "" : ", ").append(side);
        costs.put(side, measure(bench, side));
      }
      Cost engine = costs.get("engine");
      Cost writes = costs.get("baselineWrites");
      Cost lookup = costs.get("lookup");
      Cost writesOnMessage = costs.get("baselineWritesOnMessage");
      Cost lookupOnMessage = costs.get("lookupOnMessage");
      String line = String.format(Locale.ROOT, "%s %d (%s; load %s): CPU ns per call: engine %.0f (elapsed %.0f, GC"
          + " %.0f%%), baselineWrites %.0f (elapsed %.0f, GC %.0f%%), lookup %.0f (elapsed %.0f, GC %.0f%%);"
          + " engine/baselineWrites %.2f, engine/lookup %.2f, baselineWrites/lookup %.2f; given the engine's input:"
          + " baselineWrites %.0f, lookup %.0f, engine/baselineWrites %.2f, engine/lookup %.2f",
          round <= 0 ? "warm-up" : "round", round <= 0 ? round + warmUp : round, order, load(), engine.cpuNs(),
          engine.wallNs(), 100 * engine.gcShare(), writes.cpuNs(), writes.wallNs(), 100 * writes.gcShare(),
          lookup.cpuNs(), lookup.wallNs(), 100 * lookup.gcShare(), writes.cpuNs() / engine.cpuNs(),
          lookup.cpuNs() / engine.cpuNs(), lookup.cpuNs() / writes.cpuNs(), writesOnMessage.cpuNs(),
          lookupOnMessage.cpuNs(), writesOnMessage.cpuNs() / engine.cpuNs(), lookupOnMessage.cpuNs() / engine.cpuNs());
      System.out.println(line);
      if (round > 0) {
        vsWrites.add(writes.cpuNs() / engine.cpuNs());
        vsLookup.add(lookup.cpuNs() / engine.cpuNs());
        writesVsLookup.add(lookup.cpuNs() / writes.cpuNs());
        vsWritesSameInput.add(writesOnMessage.cpuNs() / engine.cpuNs());
        vsLookupSameInput.add(lookupOnMessage.cpuNs() / engine.cpuNs());
      }
    }
    System.out.printf(Locale.ROOT, "over %d rounds, by CPU time: engine/baselineWrites %s (goal >= 1.0); engine/lookup"
        + " %s (goal >= 0.5); baselineWrites/lookup %s (what engine/lookup can reach while the engine costs what"
        + " baselineWrites does)%n", rounds, spread(vsWrites), spread(vsLookup), spread(writesVsLookup));
    System.out.printf(Locale.ROOT, "over %d rounds, by CPU time, every side given the engine's input (the InboundSms"
        + " built the same way): engine/baselineWrites %s (goal >= 1.0); engine/lookup %s (goal >= 0.5)%n", rounds,
        spread(vsWritesSameInput), spread(vsLookupSameInput));
  }

  private static Cost measure(RoutingDecisionBenchmark bench, String side) {
    // Each side starts on a collected heap without the other side's conversations: what a pass keeps is collected
    // (or not) in its own measurement, not in the next side's.
    bench.dropConversations();
    System.gc();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long gc0 = gcMillis();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    long acc = 0;
    switch (side) {
      case "engine" -> {
        for (int i = 0; i < CALLS; i++) {
          acc += bench.engine() == null ? 0 : 1;
        }
      }
      case "baselineWrites" -> {
        for (int i = 0; i < CALLS; i++) {
          acc += bench.baselineWrites() == null ? 0 : 1;
        }
      }
      case "baselineWritesOnMessage" -> {
        for (int i = 0; i < CALLS; i++) {
          acc += bench.baselineWritesOnMessage() == null ? 0 : 1;
        }
      }
      case "lookupOnMessage" -> {
        for (int i = 0; i < CALLS; i++) {
          acc += bench.baselineOnMessage() ? 1 : 0;
        }
      }
      default -> {
        for (int i = 0; i < CALLS; i++) {
          acc += bench.baseline() ? 1 : 0;
        }
      }
    }
    long wall = System.nanoTime() - wall0;
    long cpu = os.getProcessCpuTime() - cpu0;
    long gc = gcMillis() - gc0;
    sink += acc;
    return new Cost((double) cpu / CALLS, (double) wall / CALLS, gc * 1e6 / wall);
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** "median 1.10 (0.90-1.30)". */
  static String spread(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return String.format(Locale.ROOT, "median %.2f (%.2f-%.2f)", median, sorted.get(0), sorted.get(n - 1));
  }

  static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }
}
