package dev.smsgateway.benchmarks;

import dev.smsgateway.test.smsc.SmscSimulator;

/**
 * The SMSC the SMPP benchmarks submit to, on its own: {@code main} runs it in a JVM of its own, so that a profiler
 * ({@code perf stat -p}, {@code strace -c -p}) sees one client's process and the SMSC's apart, and the client's CPU per
 * message is its own. It prints its port and clears what it received every second (the simulator records every
 * submit).
 *
 * <pre>{@code
 * java -cp <classpath> dev.smsgateway.benchmarks.SmscServer &     # prints: port 41234
 * java -cp <classpath> dev.smsgateway.benchmarks.SmppCloudhopperBenchmark --smsc-port 41234 --only provider
 * }</pre>
 *
 * <p>Not thread-safe; a program.
 */
public final class SmscServer {

  static final String HOST = "127.0.0.1";

  private SmscServer() {}

  /** The simulator of the window-100 comparison: credentials bench/bench, 8 PDU threads, started. */
  static SmscSimulator simulator() {
    return SmscSimulator.builder().credentials("bench", "bench").pduThreads(8).build().start();
  }

  public static void main(String[] args) throws InterruptedException {
    try (SmscSimulator smsc = simulator()) {
      System.out.println("port " + smsc.port());
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(1_000);
        smsc.clearReceived();
      }
    }
  }
}
