package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's demo and checks the routing outcomes in its transcript. */
class DemoTest {

  @TempDir
  Path data;

  private String run(String... args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      code = Demo.run(args, out);
    }
    String transcript = buffer.toString(StandardCharsets.UTF_8);
    assertThat(code).as(transcript).isZero();
    return transcript;
  }

  @Test
  @DisplayName("each reply reaches its originating agent, STOP blocks a later send, idle conversations time out; twice")
  void demo() {
    String first = run("--data", data.resolve("demo").toString());

    assertThat(first).contains("(new)");
    // Dana replies while Alice's conversation is open: it goes to Alice.
    assertThat(first).containsPattern("IN +\\+1415\\*{5}23 -> ACME Support: .*=> agent:alice");
    // Bob closed his chat; Lee's 2-part reply goes back to Bob by the originator record, with the whisper.
    assertThat(first).containsPattern("ASSIGN \\+1415\\*{5}77 -> bob  \\(whisper: you wrote \"Hello Lee");
    assertThat(first).containsPattern("IN +\\+1415\\*{5}77 -> ACME Support: .*\\(2 part\\(s\\), 300 chars\\) => agent:bob");
    // A new customer waits in the queue (shown) while both agents are away, and is assigned when Bob is back.
    assertThat(first).contains("QUEUED +1415*****42 waits in queue:support: position 1 of 1");
    assertThat(first).contains("QUEUE  support: 1 waiting, 0 agent(s) available");
    assertThat(first).containsPattern("ASSIGN \\+1415\\*{5}42 -> bob");
    // Every message sent is labelled with what it is.
    assertThat(first).containsPattern("SENT .* -> \\+1415\\*{5}23 \\[agent alice's text\\]");
    assertThat(first).containsPattern("SENT .* -> \\+1415\\*{5}77 \\[STOP confirmation\\]");
    assertThat(first).containsPattern("SENT .* -> \\+1415\\*{5}42 \\[system message \"All our agents are busy");
    assertThat(first).containsPattern("SENT .* -> \\+1415\\*{5}23 \\[idle-timeout message\\]");
    assertThat(first).doesNotContain("[?]");
    assertThat(first).contains("REFUSED bob -> +1415*****77: SmsOptedOutException");
    assertThat(first).contains("ENDED  conversation with +1415*****23 (IDLE_TIMEOUT)");
    assertThat(first).contains("DELIVRD -> DELIVERED");
    // Quiet hours: a marketing text to Honolulu at 03:00 there is held until 08:00 there, then delivered.
    assertThat(first).containsPattern("HELD +\\S+ -> \\+1808\\*{5}42 until \\S+T18:00:00Z \\(08:00 in Honolulu\\)");
    assertThat(first).containsPattern("SENT .* -> \\+1808\\*{5}42");
    assertThat(first).containsPattern("AUDIT .*\\[CONSENT, HELD, ACCEPTED, SENT, DELIVERY_REPORT\\]");
    assertThat(first).contains("RESULT: every step behaved as expected");
    // Numbers are masked everywhere in the transcript.
    assertThat(first).doesNotContain("4155550123", "4155550177", "4155550142", "8085550142");

    // The second run reuses the H2 state: Lee is still opted out and opts back in first.
    String second = run("--data", data.resolve("demo").toString());
    assertThat(second).contains("(reused from an earlier run)");
    assertThat(second).contains("Lee opted out in an earlier run");
    assertThat(second).contains("RESULT: every step behaved as expected");
  }
}
