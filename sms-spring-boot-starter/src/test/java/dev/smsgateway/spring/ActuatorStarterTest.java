package dev.smsgateway.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.micrometer.SmsGatewayMetrics;
import dev.smsgateway.test.smsc.SmscSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Actuator over real HTTP: a provider whose bind the SMSC refuses (wrong password) is DOWN on the health endpoint
 * while a bound one is UP, with details and no secret; the info endpoint lists modules and providers; the gateway's
 * Micrometer meters count a send.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1",
    "management.endpoints.web.exposure.include=health,info",
    "management.endpoint.health.show-details=always",
    "management.info.sms.enabled=true",
    "sms.default-region=US",
    "sms.providers.good.type=smpp",
    "sms.providers.good.smpp.system-id=test",
    "sms.providers.refused.type=smpp",
    "sms.providers.refused.smpp.system-id=test",
    "sms.providers.refused.smpp.password=wr0ngPw7"})
class ActuatorStarterTest {

  static final SmscSimulator SMSC = SmscSimulator.builder().build().start();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();

  @DynamicPropertySource
  static void smsc(DynamicPropertyRegistry registry) {
    registry.add("sms.providers.good.smpp.host", SMSC::host);
    registry.add("sms.providers.good.smpp.port", SMSC::port);
    registry.add("sms.providers.good.smpp.password", SMSC::password);
    registry.add("sms.providers.refused.smpp.host", SMSC::host);
    registry.add("sms.providers.refused.smpp.port", SMSC::port);
  }

  @AfterAll
  static void stop() {
    SMSC.close();
  }

  @LocalServerPort int port;
  @Autowired SmsGateway gateway;
  @Autowired MeterRegistry registry;
  @Autowired SmsGatewayMetrics metrics;

  @Test
  void refusedBindIsDownAndBoundIsUp() throws Exception {
    JsonNode refused = awaitStatus("/actuator/health/sms/refused", "DOWN");
    assertThat(refused.path("details").path("state").asText()).isEqualTo("FAILED");
    assertThat(refused.path("details").path("type").asText()).isEqualTo("smpp");
    JsonNode good = awaitStatus("/actuator/health/sms/good", "UP");
    assertThat(good.path("details").path("state").asText()).isEqualTo("CONNECTED");

    String whole = get("/actuator/health").body();
    assertThat(whole).contains("\"sms\"").doesNotContain("wr0ngPw7").doesNotContain(SMSC.password());
    assertThat(JSON.readTree(whole).path("status").asText()).isEqualTo("DOWN");
  }

  @Test
  void infoListsModulesAndProviders() throws Exception {
    JsonNode sms = JSON.readTree(get("/actuator/info").body()).path("sms");
    assertThat(sms.path("modules").has("sms-core")).isTrue();
    assertThat(sms.path("modules").has("sms-smpp")).isTrue();
    assertThat(sms.path("modules").path("sms-core").asText()).isNotBlank();
    assertThat(sms.path("providers").path("good").asText()).isEqualTo("smpp");
    assertThat(sms.toString()).doesNotContain("wr0ngPw7");
  }

  @Test
  void gatewayMetersCountSends() throws Exception {
    awaitStatus("/actuator/health/sms/good", "UP");
    gateway.send(OutboundSms.builder().to("(415) 555-0123").body("metered").build()).get(10, TimeUnit.SECONDS);
    assertThat(registry.find("sms.messages.accepted").counter()).isNotNull();
    assertThat(registry.find("sms.messages.accepted").counter().count()).isGreaterThanOrEqualTo(1.0);
  }

  JsonNode awaitStatus(String path, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(path);
      last = JSON.readTree(r.body());
      if (status.equals(last.path("status").asText())) {
        return last;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError(path + " never became " + status + "; last " + last);
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
