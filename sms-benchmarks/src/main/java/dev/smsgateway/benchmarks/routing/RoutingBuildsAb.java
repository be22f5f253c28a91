package dev.smsgateway.benchmarks.routing;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two builds of the routing code side by side in one JVM: each classpath (sms-benchmarks, sms-core, sms-routing and
 * their dependencies) in its own class loader, each with its own {@link RoutingDecisionBenchmark}; every round runs the
 * engine and {@code baselineWrites} of both over the whole mix (2^20 calls, as {@link RoutingCpuRounds} does, heap
 * collected before each), in an order rotated from round to round, and compares process CPU time. On a shared machine
 * two JVMs run minutes apart see different loads; here both builds share every moment of it, and the two
 * {@code baselineWrites}, the same code in both loaders, are an A/A control of what the comparison can resolve.
 *
 * <p>Usage: {@code RoutingBuildsAb <before classpath file> <after classpath file> [rounds] [warm-up rounds]} (default
 * 21 and 3); each file holds one classpath line. Run it with {@code -Xms3g -Xmx3g -Xmn1g} on a classpath of this
 * module's classes only. Prints per round the CPU nanoseconds per call of the four sides, then the median and range of
 * engine after / before, of each build's engine / {@code baselineWrites}, and of the A/A control.
 *
 * <p>Not thread-safe; a program.
 */
public final class RoutingBuildsAb {

  private RoutingBuildsAb() {}

  /** One build's benchmark and the reflective handles to run it. */
  private record Build(Object bench, Method measure, Method drop, Method cpuNs) {

    static Build load(Path classpathFile) throws Exception {
      List<URL> urls = new ArrayList<>();
      for (String p : Files.readString(classpathFile).trim().split(":")) {
        urls.add(Path.of(p).toUri().toURL());
      }
      ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
      Class<?> benchClass = loader.loadClass(RoutingDecisionBenchmark.class.getName());
      Object bench = benchClass.getConstructor().newInstance();
      benchClass.getField("customers").setInt(bench, Integer.parseInt(RoutingDecisionBenchmark.CUSTOMERS));
      benchClass.getMethod("records").invoke(bench);
      Method drop = benchClass.getDeclaredMethod("dropConversations");
      drop.setAccessible(true);
      Class<?> rounds = loader.loadClass(RoutingCpuRounds.class.getName());
      Method measure = rounds.getDeclaredMethod("measure", benchClass, String.class);
      measure.setAccessible(true);
      Method cpuNs = loader.loadClass(RoutingCpuRounds.class.getName() + "$Cost").getDeclaredMethod("cpuNs");
      cpuNs.setAccessible(true);
      return new Build(bench, measure, drop, cpuNs);
    }

    double run(String side) throws Exception {
      return (Double) cpuNs.invoke(measure.invoke(null, bench, side));
    }
  }

  public static void main(String[] args) throws Exception {
    Build[] builds = {Build.load(Path.of(args[0])), Build.load(Path.of(args[1]))};
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 21;
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String[] sides = {"before engine", "after engine", "before baselineWrites", "after baselineWrites"};
    List<Double> afterVsBefore = new ArrayList<>();
    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    List<Double> control = new ArrayList<>();
    for (int round = 1 - warmUp; round <= rounds; round++) {
      Map<String, Double> ns = new HashMap<>();
      for (int i = 0; i < sides.length; i++) {
        String side = sides[Math.floorMod(round + i, sides.length)];
        for (Build b : builds) {
          b.drop().invoke(b.bench()); // neither build keeps the other's conversations alive during a pass
        }
        ns.put(side, builds[side.startsWith("before") ? 0 : 1].run(side.substring(side.indexOf(' ') + 1)));
      }
      double eb = ns.get("before engine");
      double ea = ns.get("after engine");
      double wb = ns.get("before baselineWrites");
      double wa = ns.get("after baselineWrites");
      System.out.printf(Locale.ROOT, "%s %d (load %s): CPU ns per call: engine before %.0f, after %.0f;"
          + " baselineWrites %.0f, %.0f; engine after/before %.3f; engine/baselineWrites before %.2f, after %.2f%n",
          round <= 0 ? "warm-up" : "round", round <= 0 ? round + warmUp : round, RoutingCpuRounds.load(), eb, ea, wb,
          wa, ea / eb, wb / eb, wa / ea);
      if (round > 0) {
        afterVsBefore.add(ea / eb);
        before.add(wb / eb);
        after.add(wa / ea);
        control.add(wa / wb);
      }
    }
    System.out.printf(Locale.ROOT, "over %d rounds, by CPU time: engine after/before %s (below 1: cheaper);"
        + " engine/baselineWrites before %s, after %s; A/A control (baselineWrites after/before) %s%n", rounds,
        RoutingCpuRounds.spread(afterVsBefore), RoutingCpuRounds.spread(before), RoutingCpuRounds.spread(after),
        RoutingCpuRounds.spread(control));
  }
}
