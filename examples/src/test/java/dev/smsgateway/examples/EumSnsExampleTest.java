package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs {@code eum-sns --loopback} and checks its transcript. */
class EumSnsExampleTest {

  @Test
  @DisplayName("SendTextMessage reaches the stand-in; signed SNS events and replies are taken once; tampered gets 403")
  void loopback() {
    String transcript = ExampleRun.run(EumSnsExample::run, "--loopback");

    assertThat(transcript).containsPattern("AWS SendTextMessage DestinationPhoneNumber=\\+1206\\*{5}23 ");
    assertThat(transcript).containsPattern("DLR +\\S+ TEXT_DELIVERED -> DELIVERED");
    assertThat(transcript).containsPattern("IN +\\+1206\\*{5}23 -> .*=> agent:alice");
    assertThat(transcript).contains("(same MessageId) -> HTTP 200; Dana's messages routed: 1");
    assertThat(transcript).contains("TAMPERED POST /sns -> HTTP 403");
    assertThat(transcript).doesNotContain("2065550123", "wire the refund");
    assertThat(transcript).contains("RESULT: every step behaved as expected");
  }
}
