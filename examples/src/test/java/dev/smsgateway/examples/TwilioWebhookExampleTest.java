package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs {@code twilio-webhook --loopback} and checks its transcript. */
class TwilioWebhookExampleTest {

  @Test
  @DisplayName("twilio-java reaches the stand-in, signed webhooks are routed, a forged one gets 403")
  void loopback() {
    String transcript = ExampleRun.run(TwilioWebhookExample::run, "--loopback");

    assertThat(transcript).containsPattern("TWILIO POST Messages.json To=\\+1415\\*{5}23 ");
    assertThat(transcript).containsPattern("DLR +\\S+ delivered -> DELIVERED");
    assertThat(transcript).containsPattern("IN +\\+1415\\*{5}23 -> .*=> agent:alice");
    assertThat(transcript).contains("FORGED POST /twilio/inbound/support -> HTTP 403");
    assertThat(transcript).containsPattern("ASSIGN \\+1415\\*{5}42 -> alice");
    assertThat(transcript).doesNotContain("Please send the refund", "4155550123", "4155550142");
    assertThat(transcript).contains("RESULT: every step behaved as expected");
  }
}
