package dev.smsgateway.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The example on its simulator profile: the first send leaves, an agent's message goes out over the REST API. */
@SpringBootTest(classes = SmsSpringBootExample.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "server.address=127.0.0.1")
@ActiveProfiles("simulator")
class SmsSpringBootExampleTest {

  @LocalServerPort int port;
  @Autowired SmscSimulator smsc;
  @Autowired ConversationService conversations;

  @Test
  void runsOnTheSimulatorAndSendsWhatTheAgentWrites() throws Exception {
    awaitText("Hello from Spring Boot");
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/conversations")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"agent\":\"alice\",\"customer\":\"(415) 555-0142\",\"text\":\"Your order shipped\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("conversationId");
    awaitText("Your order shipped");

    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/actuator/health/sms/smsc")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).contains("\"UP\"").doesNotContain("exSim7pw");
  }

  void awaitText(String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!smsc.acceptedTexts().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not sent: " + text + "; the SMSC has " + smsc.acceptedTexts());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
