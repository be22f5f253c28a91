package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.http.HttpMethod;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.http.HttpHost;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.client.HttpClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * X1 for Apache HttpClient under twilio-java: with {@code org.apache.http} at its most verbose, the client this module
 * builds logs neither the Basic auth header nor the form body, while a stock Apache client logs both. HttpClient logs
 * through commons-logging, which here (no Log4j) writes to java.util.logging, so the records are taken there.
 */
class QuietConnectionFactoryTest {

  private static final String TO = "+14155550166";

  private final Logger apache = Logger.getLogger("org.apache.http");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level before;
  private FakeTwilioApi api;

  @BeforeEach
  void apacheAtFinest() throws Exception {
    before = apache.getLevel();
    apache.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    apache.addHandler(capture);
    // the control logs the Basic auth header on purpose: keep its records here, out of the X1 log
    apache.setUseParentHandlers(false);
    api = new FakeTwilioApi();
  }

  @AfterEach
  void restore() throws Exception {
    apache.removeHandler(capture);
    apache.setUseParentHandlers(true);
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
    HttpHost target = new HttpHost("127.0.0.1", api.port(), "http");
    return b.setRoutePlanner((host, request, context) -> new HttpRoute(target));
  }

  private List<String> messages() {
    return records.stream().map(r -> r.getLoggerName() + " " + r.getMessage()).toList();
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
    assertThat(records).anySatisfy(r -> assertThat(r.getLoggerName()).startsWith("org.apache.http.impl"));
    // ... but not through the header and wire loggers, and nothing carries the credentials or the number
    assertThat(records).noneSatisfy(r -> assertThat(r.getLoggerName()).isIn("org.apache.http.wire",
        "org.apache.http.headers"));
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
    assertThat(all).contains("Authorization: Basic " + basicAuth()).contains("To=%2B" + TO.substring(1));
  }

  private static String basicAuth() {
    return Base64.getEncoder().encodeToString((FakeTwilioApi.ACCOUNT + ":" + FakeTwilioApi.TOKEN)
        .getBytes(StandardCharsets.UTF_8));
  }
}
