package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import dev.smsgateway.InboundSms;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.store.Conversation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive demo starts its parts, prints where they are, and the printed token signs in. */
class ConsoleDemoTest {

  @Test
  void startsTheConsoleAndThePhonePageAndPrintsHowToSignIn(@TempDir Path data) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ConsoleDemo.Running running = ConsoleDemo.start(0, 0, data, false, out)) {
      String printed = bytes.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains(running.server().uri().toString()).contains(running.phone().uri().toString())
          .contains(running.aliceToken());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(running.server().uri()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).contains("SMS agent console");
      HttpResponse<String> session = http.send(HttpRequest.newBuilder(running.server().uri().resolve("api/session"))
          .header("Authorization", "Bearer " + running.aliceToken()).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(session.statusCode()).isEqualTo(201);
      HttpResponse<String> phone = http.send(HttpRequest.newBuilder(running.phone().uri()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(phone.body()).contains("Customer phone");
      CountDownLatch routed = new CountDownLatch(1);
      running.conversations().addListener(new ConversationListener() {
        @Override
        public void onMessage(Conversation conversation, InboundSms sms) {
          routed.countDown();
        }
      });
      HttpResponse<Void> text = http.send(HttpRequest.newBuilder(URI.create(running.phone().uri() + "send"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("from=%2B14155550123&to=%2B14155550100&text=Hello"))
          .build(), HttpResponse.BodyHandlers.discarding());
      assertThat(text.statusCode()).isEqualTo(204);
      assertThat(routed.await(10, TimeUnit.SECONDS)).as("the phone's text reached the conversation service").isTrue();
    }
  }
}
