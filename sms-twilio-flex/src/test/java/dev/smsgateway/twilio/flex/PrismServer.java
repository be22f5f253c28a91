package dev.smsgateway.twilio.flex;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * One Prism mock server ({@code prism mock --errors}) serving one of Twilio's OpenAPI descriptions on loopback and an
 * ephemeral port: a request that breaks the description is answered 4xx with Prism's validation errors (422 for a bad
 * body, 400 for bad parameters, 401 without Basic auth, 404 for a path the description lacks). Its output goes to
 * {@code target/prism-<spec>.log}, never into the test log (Prism prints request bodies).
 *
 * <p>Prism is found through {@code SMS_TEST_PRISM} or on {@code PATH} ({@code scripts/prism.sh} installs it); when it
 * is missing, tests skip, except under {@code CI=true} where they fail.
 */
final class PrismServer implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

  private final Process process;
  private final int port;
  private final String spec;

  private PrismServer(Process process, int port, String spec) {
    this.process = process;
    this.port = port;
    this.spec = spec;
  }

  /** The directory of Twilio's descriptions beside the repository ({@code ../shared/peer-data/twilio}). */
  static Path specs() {
    for (String candidate : List.of("../../shared/peer-data/twilio", "../shared/peer-data/twilio")) {
      Path p = Path.of(candidate);
      if (Files.isRegularFile(p.resolve("twilio_flex_v1.json"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("Twilio's OpenAPI descriptions (shared/peer-data/twilio) are not beside the repository");
  }

  /** The prism command, or a skipped (CI: failed) test when there is none. */
  static String command() {
    String configured = System.getenv("SMS_TEST_PRISM");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, "prism");
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    String why = "prism is not installed (run ./scripts/prism.sh, or set SMS_TEST_PRISM)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(why);
    }
    Assumptions.abort(why);
    return null;
  }

  /** Starts Prism on {@code spec} (a file name in {@link #specs()}) and waits until it answers. */
  static PrismServer start(String spec) throws IOException, InterruptedException {
    String prism = command();
    Path file = specs().resolve(spec);
    Path log = Path.of("target", "prism-" + spec.replace(".json", "") + ".log");
    Files.createDirectories(log.getParent());
    int port = freePort();
    Process p = new ProcessBuilder(prism, "mock", "--errors", "-h", "127.0.0.1", "-p", Integer.toString(port),
        file.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    PrismServer server = new PrismServer(p, port, spec);
    try {
      server.awaitReady();
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  int port() {
    return port;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("prism exited (" + process.exitValue() + ") before serving " + spec + "; see target/");
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(5000);
        c.getResponseCode(); // any answer (Prism says 404 for "/") means it is serving
        c.disconnect();
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("prism did not serve " + spec + " within " + READY_TIMEOUT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops Prism and the node processes it started. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "PrismServer{" + spec + " on 127.0.0.1:" + port + "}";
  }
}
