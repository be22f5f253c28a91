package dev.smsgateway.connect.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A container's cold start and first event on E.164 numbers load no libphonenumber class (so none of its metadata):
 * each case runs {@link FirstEventProbe} in a fresh JVM with {@code -verbose:class} and reads which classes were
 * loaded. The national-number case shows that the probe sees libphonenumber when it is used.
 */
class PhoneMetadataColdStartTest {

  private static final String LIBPHONENUMBER = "com.google.i18n.phonenumbers.";

  @Test
  @DisplayName("a Task whose Name is E.164: cold start and first send load no libphonenumber class")
  void taskOnE164() throws Exception {
    Probe probe = probe("task");
    assertThat(probe.result).contains("status=SENT");
    assertThat(probe.libphonenumberClasses).as("libphonenumber classes loaded").isEmpty();
  }

  @Test
  @DisplayName("a reply lookup: cold start and first lookup load no libphonenumber class")
  void lookup() throws Exception {
    Probe probe = probe("lookup");
    assertThat(probe.result).contains("route=AGENT");
    assertThat(probe.libphonenumberClasses).as("libphonenumber classes loaded").isEmpty();
  }

  @Test
  @DisplayName("a Task whose Name is a national number is read by libphonenumber (the probe sees it)")
  void taskOnNationalNumber() throws Exception {
    Probe probe = probe("task-national");
    assertThat(probe.result).contains("status=SENT");
    assertThat(probe.libphonenumberClasses).contains(LIBPHONENUMBER + "PhoneNumberUtil");
  }

  private record Probe(String result, List<String> libphonenumberClasses) {}

  private static Probe probe(String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:off",
        "-verbose:class", "-cp", System.getProperty("java.class.path"), FirstEventProbe.class.getName(), mode);
    pb.redirectErrorStream(true);
    pb.environment().put("DDB_LOCAL_TELEMETRY", "0");
    Process p = pb.start();
    List<String> loaded = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    String result = null;
    boolean begun = false;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        begun |= line.equals("COLD-START-BEGIN");
        if (line.startsWith("RESULT ")) {
          result = line;
        }
        // "[0.123s][info][class,load] com.google.i18n.phonenumbers.PhoneNumberUtil source: ..." anywhere in the
        // run: a class the peers' set-up loaded would hide the handler's own use of it.
        int at = line.indexOf(LIBPHONENUMBER);
        if (line.contains("[class,load]") && at >= 0) {
          loaded.add(line.substring(at).split(" ")[0]);
        } else if (!line.contains("[class,") && output.length() < 20_000) {
          output.append(line).append('\n');
        }
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("probe output:\n%s", output).isZero();
    assertThat(begun).as("probe output:\n%s", output).isTrue();
    assertThat(result).as("probe output:\n%s", output).isNotNull();
    return new Probe(result, loaded);
  }
}
