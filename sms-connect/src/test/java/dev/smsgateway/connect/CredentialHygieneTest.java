package dev.smsgateway.connect;

import static dev.smsgateway.test.SecretAssertions.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.aws.SendOnce;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.routing.InboundChat;
import dev.smsgateway.routing.OutboundChat;
import dev.smsgateway.test.AwsRefusals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;
import software.amazon.awssdk.services.connect.ConnectClient;

/**
 * X2: the AWS secret key and session token never show in a {@code toString()}, an exception (message or cause
 * chain) or our log lines, also when the Amazon Connect stand-in refuses the credentials and quotes the signed
 * request back (as AWS does for a signature mismatch).
 */
class CredentialHygieneTest {

  static final String ACCESS_KEY = "AKIDX2CONNECT0000001";
  static final String SECRET_KEY = "S3cr3t-X2-connect-secretkey";
  static final String SESSION_TOKEN = "S3cr3t-X2-connect-sessiontoken";
  static final String[] SECRETS = {SECRET_KEY, SESSION_TOKEN};
  static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
  static final String FLOW = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");

  static HttpServer server;
  static ConnectAsyncClient asyncClient;
  static ConnectClient syncClient;
  static ExecutorService executor;
  static final List<String> tokensSeen = new CopyOnWriteArrayList<>();
  static volatile int status;
  static volatile String errorType;
  static volatile boolean quote;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", CredentialHygieneTest::answer);
    server.start();
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN));
    asyncClient = ConnectAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(AwsCrtAsyncHttpClient.builder().build())
        .overrideConfiguration(c -> c.retryStrategy(SendOnce.strategy()))
        .build();
    syncClient = ConnectClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(SendOnce.strategy())).build();
    executor = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    asyncClient.close();
    syncClient.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    server.stop(0);
  }

  @BeforeEach
  void forget() {
    tokensSeen.clear();
  }

  /** Answers as AWS does when it refuses credentials; with {@code quote}, its message quotes the canonical request. */
  private static void answer(HttpExchange exchange) throws IOException {
    AwsRefusals.refuse(exchange, AwsRefusals.Protocol.REST_JSON, status, errorType, quote, tokensSeen::add);
  }

  static List<AmazonConnectContactFlowDelivery> deliveries() {
    return List.of(AmazonConnectContactFlowDelivery.builder().client(asyncClient).instanceId(INSTANCE).build(),
        AmazonConnectContactFlowDelivery.builder().client(syncClient, executor).instanceId(INSTANCE).build());
  }

  @ParameterizedTest(name = "{0} {1}, quoting the request: {2}")
  @CsvSource({
      "403, InvalidSignatureException, true",
      "403, UnrecognizedClientException, false",
      "403, ExpiredTokenException, true",
      "403, AccessDeniedException, false",
      "401, SomethingElse, true"})
  @DisplayName("refused credentials: no secret in the error, its causes or our log lines")
  void refusedCredentials(int httpStatus, String type, boolean quoted) throws Exception {
    status = httpStatus;
    errorType = type;
    quote = quoted;
    Logger ours = (Logger) LoggerFactory.getLogger("dev.smsgateway");
    Level before = ours.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ours.addAppender(logs);
    ours.setLevel(Level.DEBUG);
    try {
      for (AmazonConnectContactFlowDelivery delivery : deliveries()) {
        Throwable in = catchThrowable(() -> delivery.startChat(InboundChat.builder().contactFlowId(FLOW)
            .customer(CUSTOMER).business(Originator.longCode(PhoneNumber.of("+14155550199"))).text("hello").build()).get(10, TimeUnit.SECONDS));
        Throwable out = catchThrowable(() -> delivery.startOutboundChat(OutboundChat.builder().contactFlowId(FLOW)
            .sourcePhoneNumberArn("arn:aws:connect:us-east-1:123456789012:phone-number/x2").customer(CUSTOMER)
            .build()).get(10, TimeUnit.SECONDS));
        for (Throwable t : List.of(in, out)) {
          assertThat(t).isInstanceOf(ExecutionException.class);
          assertThat(t.getCause()).isInstanceOf(SmsConfigurationException.class);
          assertNoSecret(t.getCause(), SECRETS);
        }
        assertNoSecret(delivery, SECRETS);
      }
    } finally {
      ours.detachAppender(logs);
      ours.setLevel(before);
    }
    assertThat(tokensSeen).hasSize(4).containsOnly(SESSION_TOKEN);
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      assertNoSecret(e.getFormattedMessage(), SECRETS);
      if (e.getThrowableProxy() != null) {
        assertNoSecret(e.getThrowableProxy().getMessage(), SECRETS);
      }
    }
  }

  @Test
  @DisplayName("toString of the builder and of a delivery on clients holding session credentials shows no secret")
  void toStrings() {
    AmazonConnectContactFlowDelivery.Builder b = AmazonConnectContactFlowDelivery.builder().client(asyncClient)
        .instanceId(INSTANCE);
    assertNoSecret(b, SECRETS);
    for (AmazonConnectContactFlowDelivery d : deliveries()) {
      assertNoSecret(d, SECRETS);
    }
  }
}
