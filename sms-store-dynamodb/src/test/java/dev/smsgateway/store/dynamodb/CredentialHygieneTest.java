package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.test.SecretAssertions.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsException;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.test.AwsRefusals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * X2: the AWS secret key and session token of the application's DynamoDB client never show in a {@code toString()}
 * or in a store's exception (message or cause chain), also when a DynamoDB stand-in on loopback refuses the
 * credentials and quotes the signed request back, as AWS does for a signature mismatch. (DynamoDB Local accepts any
 * credentials, so it cannot play this part.)
 */
class CredentialHygieneTest {

  static final String ACCESS_KEY = "AKIDX2DYNAMO00000001";
  static final String SECRET_KEY = "S3cr3t-X2-dynamodb-secretkey";
  static final String SESSION_TOKEN = "S3cr3t-X2-dynamodb-sessiontoken";
  static final String[] SECRETS = {SECRET_KEY, SESSION_TOKEN};

  static HttpServer server;
  static DynamoDbClient client;
  static final List<String> tokensSeen = new CopyOnWriteArrayList<>();
  static volatile String errorType;
  static volatile boolean quote;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", CredentialHygieneTest::answer);
    server.start();
    client = DynamoDbClient.builder().region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        // not the SDK's default Apache client: its org.apache.http.wire logger prints every request body (the items'
        // keys hold phone numbers) at DEBUG, and this test runs in CI's DEBUG pass (X1); docs/sms-store-dynamodb.md
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.stop(0);
  }

  @BeforeEach
  void forget() {
    tokensSeen.clear();
  }

  private static void answer(HttpExchange exchange) throws IOException {
    AwsRefusals.refuse(exchange, AwsRefusals.Protocol.AWS_JSON, 400, errorType, quote, tokensSeen::add);
  }

  @ParameterizedTest(name = "{0}, quoting the request: {1}")
  @CsvSource({"InvalidSignatureException, true", "UnrecognizedClientException, false",
      "ExpiredTokenException, true"})
  @DisplayName("refused credentials when building (describe table) and on a write: no secret in the error or causes")
  void refusedCredentials(String type, boolean quoted) {
    errorType = type;
    quote = quoted;
    Throwable building = catchThrowable(() -> DynamoDbStores.builder().client(client).tableName("x2").build());
    assertThat(building).isInstanceOf(SmsException.class);
    assertThat(((SmsException) building).providerCode()).contains(type);
    assertNoSecret(building, SECRETS);

    DynamoDbStores stores = DynamoDbStores.builder().client(client).tableName("x2").verifyTable(false).build();
    Throwable writing = catchThrowable(() -> stores.originatorStore().put(OriginatorRecord.of(
        PhoneNumber.of("+14155550100"), Originator.longCode(PhoneNumber.of("+14155550199")), "alice", "hi", null,
        Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(1))));
    assertThat(writing).isInstanceOf(SmsException.class);
    assertThat(((SmsException) writing).providerCode()).contains(type);
    assertNoSecret(writing, SECRETS);
    assertNoSecret(stores, SECRETS);
    assertThat(tokensSeen).hasSize(2).containsOnly(SESSION_TOKEN);
  }

  @Test
  @DisplayName("toString of the builder, the stores and each store shows no secret")
  void toStrings() {
    DynamoDbStores.Builder b = DynamoDbStores.builder().client(client).tableName("x2").verifyTable(false);
    assertNoSecret(b, SECRETS);
    DynamoDbStores stores = b.build();
    assertNoSecret(stores, SECRETS);
    for (Object store : List.of(stores.originatorStore(), stores.optOutStore(), stores.messageStore(),
        stores.conversationStore())) {
      assertNoSecret(store, SECRETS);
    }
  }
}
