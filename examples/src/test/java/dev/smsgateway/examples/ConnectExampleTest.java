package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs {@code connect --loopback} and checks its transcript. */
class ConnectExampleTest {

  @Test
  @DisplayName("replies start chat contacts naming the originating agent, later SMS join the chat, the agent's"
      + " answer comes back as SMS; Connect numbers send through Connect, follow-ups join that chat, replies come back")
  void loopback() {
    String transcript = ExampleRun.run(ConnectExample::run, "--loopback");

    assertThat(transcript).containsPattern(
        "CONNECT StartChatContact ContactFlowId=\\S+ customerNumber=\\+1415\\*{5}23 originatingAgentId=alice ");
    assertThat(transcript).containsPattern(
        "CONNECT StartChatContact ContactFlowId=\\S+ customerNumber=\\+1415\\*{5}42 originatingAgentId=- ");
    assertThat(transcript).containsPattern("CONNECT StartOutboundChatContact .*SourceEndpoint=CONNECT_PHONENUMBER_ARN "
        + "DestinationEndpoint=\\+1415\\*{5}77 Subtype=connect:SMS ClientToken=connect-example-4");
    assertThat(transcript).contains("SMSC submit_sm to +1415*****23: \"Done, Dana: 12 Elm Street it is.\"");
    assertThat(transcript).containsPattern("one chat for the conversation.*2 customer messages");
    assertThat(transcript).containsPattern("CONNECT CreateParticipant CUSTOM_BOT \"bob\" in contact \\S+; SMS from"
        + " Connect to \\+1415\\*{5}77: 2");
    assertThat(transcript).containsPattern("IN +\\+1415\\*{5}77 -> .*\"Tuesday works, thanks.\"");
    assertThat(transcript).doesNotContain("4155550123", "4155550142", "4155550177");
    assertThat(transcript).contains("RESULT: every step behaved as expected");
  }

  @Test
  @DisplayName("without --loopback it explains where the real-account set-up is documented")
  void realAccountNeedsDocs() {
    var buffer = new java.io.ByteArrayOutputStream();
    int code = ConnectExample.run(new String[0], new java.io.PrintStream(buffer, true,
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(buffer.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("docs/examples.md");
  }
}
