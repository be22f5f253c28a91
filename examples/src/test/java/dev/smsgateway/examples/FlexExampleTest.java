package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs {@code flex --loopback} and checks its transcript; {@code flex-provision}'s argument errors. */
class FlexExampleTest {

  @Test
  @DisplayName("a worker-targeted Flex conversation; the reply after it closed goes back to that worker")
  void loopback() {
    String transcript = ExampleRun.run(FlexExample::run, "--loopback");

    assertThat(transcript).containsPattern("INTERACTION KD\\S+ conversation CH\\S+ task WT\\S+ -> worker alice,"
        + " reservation accepted");
    assertThat(transcript).containsPattern("SMS \\+1415\\*{5}23 -> conversation CH\\S+ \\(no webhook\\)");
    assertThat(transcript).containsPattern("webhook -> HTTP 200; TASK -> worker alice, whisper \"Hi Dana");
    assertThat(transcript).contains("FORGED POST /twilio/conversations -> HTTP 403");
    assertThat(transcript).doesNotContain("4155550123");
    assertThat(transcript).contains("RESULT: every step behaved as expected");
  }

  @Test
  void theProvisioningCliNamesWhatIsMissingFromItsArguments() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int code = FlexProvisionCli.run(new String[] {"--number", "+14155550100"},
        new PrintStream(buffer, true, StandardCharsets.UTF_8), Map.<String, String>of()::get);
    assertThat(code).isEqualTo(2);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("--webhook-url are required");
    buffer.reset();
    code = FlexProvisionCli.run(new String[] {"--number", "+14155550100", "--webhook-url", "https://x.example/c"},
        new PrintStream(buffer, true, StandardCharsets.UTF_8), Map.of("FLEX_WORKSPACE_SID", "WS1")::get);
    assertThat(code).isEqualTo(2);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("FLEX_WORKFLOW_SID is not set");
  }
}
