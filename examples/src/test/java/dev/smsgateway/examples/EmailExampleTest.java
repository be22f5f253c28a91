package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs {@code email --loopback} and checks its transcript. */
class EmailExampleTest {

  @Test
  @DisplayName("email in over IMAP, SMS out over SMPP, reply emailed back, the agent's answer continues, refusal")
  void loopback() {
    String transcript = ExampleRun.run(EmailExample::run, "--loopback");

    assertThat(transcript).contains("quotes and signature stripped", "threaded on Alice's email",
        "her answer went out over SMPP", "refusal answered");
    assertThat(transcript).doesNotContain("4155550123");
    assertThat(transcript).contains("RESULT: every step behaved as expected");
  }

  @Test
  @DisplayName("without --loopback it explains where the set-up is documented")
  void needsLoopback() {
    var buffer = new java.io.ByteArrayOutputStream();
    int code = EmailExample.run(new String[0], new java.io.PrintStream(buffer, true,
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(buffer.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("docs/sms-email.md");
  }
}
