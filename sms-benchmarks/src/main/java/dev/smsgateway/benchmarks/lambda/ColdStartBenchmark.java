package dev.smsgateway.benchmarks.lambda;

import dev.smsgateway.benchmarks.Median;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of the sms-connect-lambda handlers: each round starts one fresh JVM per mode ({@link ColdStartProbe}),
 * interleaved, and reads the time from loading the handler class to the end of its first event. Prints the medians
 * and, per round, the ratio of the lookup with its Connect client built inside the cold start to the same with the
 * client built beforehand (what initialising the AWS client costs).
 *
 * <p>{@code --rounds N} (default 7). Run with
 * {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-lambda -Dbench.args="--rounds 7"}.
 */
public final class ColdStartBenchmark {

  private static final Pattern RESULT = Pattern.compile(
      "RESULT mode=(\\S+) ok=(\\S+) initMs=([0-9.]+) firstEventMs=([0-9.]+) totalMs=([0-9.]+)");
  private static final List<String> MODES = List.of("task", "lookup-cold", "lookup-warm");

  private ColdStartBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = 7;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--rounds")) {
        rounds = Integer.parseInt(args[++i]);
      }
    }
    Map<String, List<double[]>> byMode = new LinkedHashMap<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      Map<String, double[]> round = new LinkedHashMap<>();
      List<String> order = new ArrayList<>(MODES);
      if (r % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (String mode : order) {
        double[] m = probe(mode);
        round.put(mode, m);
        byMode.computeIfAbsent(mode, k -> new ArrayList<>()).add(m);
        System.out.printf("round %d %-12s init %7.1f ms  first event %7.1f ms  total %7.1f ms%n", r, mode, m[0], m[1],
            m[2]);
      }
      ratios.add(round.get("lookup-cold")[2] / round.get("lookup-warm")[2]);
    }
    System.out.println();
    for (Map.Entry<String, List<double[]>> e : byMode.entrySet()) {
      System.out.printf("median %-12s init %7.1f ms  first event %7.1f ms  class load to first event %7.1f ms%n",
          e.getKey(), median(e.getValue(), 0), median(e.getValue(), 1), median(e.getValue(), 2));
    }
    System.out.printf("lookup cold start, Connect client built inside / built before: %.2fx (median of %d rounds)%n",
        Median.of(ratios.stream().mapToDouble(Double::doubleValue).toArray()), rounds);
  }

  private static double median(List<double[]> values, int index) {
    return Median.of(values.stream().mapToDouble(v -> v[index]).toArray());
  }

  private static double[] probe(String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), ColdStartProbe.class.getName(), mode);
    pb.redirectErrorStream(true);
    pb.environment().put("DDB_LOCAL_TELEMETRY", "0");
    Process p = pb.start();
    double[] found = null;
    StringBuilder output = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        Matcher m = RESULT.matcher(line);
        if (m.find()) {
          if (!Boolean.parseBoolean(m.group(2))) {
            throw new IllegalStateException("probe " + mode + " did not handle its event: " + line);
          }
          found = new double[] {Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
              Double.parseDouble(m.group(5))};
        } else if (output.length() < 20_000) {
          output.append(line).append('\n');
        }
      }
    }
    p.waitFor();
    if (found == null) {
      throw new IllegalStateException("probe " + mode + " printed no result:\n" + output);
    }
    return found;
  }
}
