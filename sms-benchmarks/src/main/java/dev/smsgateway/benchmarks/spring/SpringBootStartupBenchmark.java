package dev.smsgateway.benchmarks.spring;

import dev.smsgateway.benchmarks.Median;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Start-up time of the Spring Boot example (examples-spring-boot, profile {@code simulator}): from launching its JVM to
 * the first message accepted by the SMSC through the auto-configured gateway (provider bound, gateway started,
 * ConversationService bound, web server up) against the baseline, an empty Spring Boot application on the same class
 * path (web server and actuator, the SMS auto-configuration off) from launching its JVM to ready. Both run as child
 * JVMs, alternating (ABBA) round by round so that drift of a shared machine hits both alike; the result is the ratio
 * of the medians, and each side's in-JVM uptime at its marker is reported too.
 *
 * <p>This module has no Spring dependency: the applications run on the class path examples-spring-boot writes when
 * packaged ({@code target/benchmark-classpath.txt}). Run:
 * {@code mvn -B -q -pl examples-spring-boot,sms-benchmarks -am verify -DskipTests -Pbench-spring-startup
 * -Dbench.args="--rounds 5"}.
 */
public final class SpringBootStartupBenchmark {

  private static final String EXAMPLE = "dev.smsgateway.examples.spring.SmsSpringBootExample";
  private static final String EMPTY = "dev.smsgateway.examples.baseline.EmptyBootApp";
  private static final String EXAMPLE_MARKER = "FIRST-SEND-ACCEPTED uptime-ms=";
  private static final String EMPTY_MARKER = "EMPTY-APP-READY uptime-ms=";

  private SpringBootStartupBenchmark() {}

  /** One launch: wall time from process start to the marker line, and the child's own uptime at the marker. */
  record Run(double wallMs, double uptimeMs) {}

  public static void main(String[] args) throws Exception {
    Path classpathFile = null;
    String classes = null;
    int rounds = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--classpath-file" -> classpathFile = Path.of(args[++i]);
        case "--classes" -> classes = args[++i];
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (classpathFile == null || classes == null) {
      throw new IllegalArgumentException("give --classpath-file and --classes (see the class javadoc)");
    }
    String classpath = classes + java.io.File.pathSeparator + Files.readString(classpathFile).strip();
    System.out.printf(Locale.ROOT, "Spring Boot start-up: example to first accepted send vs empty app, %d rounds "
        + "(ABBA), Java %s, %d CPUs%n", rounds, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    // one untimed launch each: the OS file cache, not the JVM, is what a first launch measures
    launch(classpath, EMPTY, EMPTY_MARKER);
    launch(classpath, EXAMPLE, EXAMPLE_MARKER);
    List<Run> example = new ArrayList<>();
    List<Run> empty = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        empty.add(launch(classpath, EMPTY, EMPTY_MARKER));
        example.add(launch(classpath, EXAMPLE, EXAMPLE_MARKER));
      } else {
        example.add(launch(classpath, EXAMPLE, EXAMPLE_MARKER));
        empty.add(launch(classpath, EMPTY, EMPTY_MARKER));
      }
      System.out.printf(Locale.ROOT, "round %d: empty %.0f ms (uptime %.0f), example %.0f ms (uptime %.0f)%n", r + 1,
          empty.get(r).wallMs(), empty.get(r).uptimeMs(), example.get(r).wallMs(), example.get(r).uptimeMs());
    }
    double exampleWall = Median.of(example.stream().mapToDouble(Run::wallMs).toArray());
    double emptyWall = Median.of(empty.stream().mapToDouble(Run::wallMs).toArray());
    double exampleUp = Median.of(example.stream().mapToDouble(Run::uptimeMs).toArray());
    double emptyUp = Median.of(empty.stream().mapToDouble(Run::uptimeMs).toArray());
    System.out.printf(Locale.ROOT, "median wall: example %.0f ms, empty %.0f ms: %.2fx (+%.0f ms)%n", exampleWall,
        emptyWall, exampleWall / emptyWall, exampleWall - emptyWall);
    System.out.printf(Locale.ROOT, "median JVM uptime at marker: example %.0f ms, empty %.0f ms: %.2fx%n", exampleUp,
        emptyUp, exampleUp / emptyUp);
  }

  static Run launch(String classpath, String main, String marker) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, main, "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
        "--logging.level.root=WARN"));
    if (main.equals(EXAMPLE)) {
      command.add("--spring.profiles.active=simulator");
      command.add("--example.exit-after-first-send=true");
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    long start = System.nanoTime();
    Process p = pb.start();
    double uptime = -1;
    double wall = -1;
    List<String> tail = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        int at = line.indexOf(marker);
        if (at >= 0 && wall < 0) {
          wall = (System.nanoTime() - start) / 1e6;
          uptime = Double.parseDouble(line.substring(at + marker.length()).strip());
        }
        if (tail.size() == 40) {
          tail.remove(0);
        }
        tail.add(line);
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    if (wall < 0) {
      throw new IllegalStateException(main + " exited (" + p.exitValue() + ") without '" + marker + "':\n"
          + String.join("\n", tail));
    }
    return new Run(wall, uptime);
  }
}
