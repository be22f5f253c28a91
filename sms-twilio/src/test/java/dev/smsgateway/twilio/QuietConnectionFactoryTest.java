package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.twilio.http.HttpMethod;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * X1 for Apache HttpClient 5 under twilio-java: with {@code org.apache.hc.client5.http} at its most verbose, the client
 * this module builds logs neither the Basic auth header nor the form body, while a stock Apache client logs both.
 * HttpClient 5 logs through SLF4J; the records are taken from Logback here and kept out of the other appenders.
 */
class QuietConnectionFactoryTest {

  private static final String TO = "+14155550166";

  private final Logger apache = (Logger) LoggerFactory.getLogger("org.apache.hc.client5.http");
  private final ListAppender<ILoggingEvent> capture = new ListAppender<>();
  private Level before;
  private FakeTwilioApi api;

  @BeforeEach
  void apacheAtTrace() throws Exception {
    before = apache.getLevel();
    apache.setLevel(Level.TRACE);
    capture.start();
    apache.addAppender(capture);
    // the control logs the Basic auth header on purpose: keep its records here, out of the X1 log
    apache.setAdditive(false);
    api = new FakeTwilioApi();
  }

  @AfterEach
  void restore() throws Exception {
    apache.detachAppender(capture);
    apache.setAdditive(true);
    apache.setLevel(before);
    api.close();
  }

  private Response send(NetworkHttpClient client) {
    Request request = new Request(HttpMethod.POST, "https://api.twilio.com/2010-04-01/Accounts/" + FakeTwilioApi.ACCOUNT
        + "/Messages.json");
    request.setAuth(FakeTwilioApi.ACCOUNT, FakeTwilioApi.TOKEN);
    request.addPostParam("To", TO);
    request.addPostParam("Body", "pin 4321");
    return client.makeRequest(request);
  }

  private HttpClientBuilder toFakeApi(HttpClientBuilder b) {
    HttpHost target = new HttpHost("http", "127.0.0.1", api.port());
    return b.setRoutePlanner((host, context) -> new HttpRoute(target));
  }

  private List<String> messages() {
    return capture.list.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  @DisplayName("the module's Apache client logs requests at DEBUG but never a header or byte of them")
  void quietClient() {
    try (var client = new SingleAttemptHttpClient.ClosableNetworkHttpClient(
        toFakeApi(SingleAttemptHttpClient.apacheBuilder(2000, 2000, 2)))) {
      assertThat(send(client).getStatusCode()).isEqualTo(201);
    }
    assertThat(api.requests()).singleElement().satisfies(r -> assertThat(r.param("To")).isEqualTo(TO));

    // Apache did log this exchange (so the level was on and the records arrived) ...
    assertThat(capture.list).anySatisfy(e -> assertThat(e.getLoggerName()).startsWith("org.apache.hc.client5.http.impl"));
    // ... but not through the header and wire loggers, and nothing carries the credentials or the number
    assertThat(capture.list).noneSatisfy(e -> assertThat(e.getLoggerName()).isIn("org.apache.hc.client5.http.wire",
        "org.apache.hc.client5.http.headers"));
    assertThat(String.join("\n", messages())).doesNotContain(basicAuth(), FakeTwilioApi.TOKEN, TO.substring(1),
        "pin 4321");
  }

  @Test
  @DisplayName("control: a stock Apache client under twilio-java logs the Basic auth header and the number")
  void stockClientLeaks() {
    try (var client = new SingleAttemptHttpClient.ClosableNetworkHttpClient(toFakeApi(HttpClientBuilder.create()))) {
      assertThat(send(client).getStatusCode()).isEqualTo(201);
    }

    String all = String.join("\n", messages());
    assertThat(all).contains("Authorization: Basic " + basicAuth()).contains(TO.substring(1));
  }

  private static String basicAuth() {
    return Base64.getEncoder().encodeToString((FakeTwilioApi.ACCOUNT + ":" + FakeTwilioApi.TOKEN)
        .getBytes(StandardCharsets.UTF_8));
  }
}
