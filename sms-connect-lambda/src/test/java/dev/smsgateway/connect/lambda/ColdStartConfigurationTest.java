package dev.smsgateway.connect.lambda;

import dev.smsgateway.store.dynamodb.LocalDynamoDb;
import static dev.smsgateway.connect.lambda.LambdaWorld.event;
import static dev.smsgateway.connect.lambda.LambdaWorld.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.SmsConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Configuration is checked when the function starts: each mistake fails the handler's constructor with an error that
 * names the environment variable to fix; provider secrets can come from AWS Secrets Manager and never show up in an
 * error.
 */
class ColdStartConfigurationTest {

  private LambdaWorld world;

  @BeforeEach
  void setUp() throws IOException {
    world = new LambdaWorld();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  private LambdaResources.Builder resources(Map<String, String> env) {
    return LambdaResources.builder().settings(LambdaSettings.of(env)).clock(world.clock)
        .dynamoDbClient(LocalDynamoDb.client()).connectClient(world.connectClient);
  }

  private Map<String, String> env(String... changes) {
    Map<String, String> env = new HashMap<>(world.env);
    for (int i = 0; i < changes.length; i += 2) {
      if (changes[i + 1] == null) {
        env.remove(changes[i]);
      } else {
        env.put(changes[i], changes[i + 1]);
      }
    }
    return env;
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(nullValues = "null", value = {
      "SMS_TABLE_NAME, null, SMS_TABLE_NAME is not set",
      "SMS_ROUTING_CONFIG, null, SMS_ROUTING_CONFIG is not set",
      "SMS_SEND_TIMEOUT, 5s, SMS_SEND_TIMEOUT is not an ISO-8601 duration",
      "SMS_SEND_TIMEOUT, PT30S, SMS_SEND_TIMEOUT is longer than the 8 seconds",
      "SMS_SEND_TIMEOUT, PT0S, SMS_SEND_TIMEOUT must be positive",
      "SMS_AGENT_CACHE_TTL, five minutes, SMS_AGENT_CACHE_TTL is not an ISO-8601 duration",
      "CONNECT_QUEUES, support, CONNECT_QUEUES expects code=queue pairs",
      "CONNECT_QUEUES, support=not a queue, CONNECT_QUEUES is neither a Connect queue ARN nor a queue id",
      "CONNECT_DEFAULT_QUEUE, arn:aws:connect:x, CONNECT_DEFAULT_QUEUE is neither",
      "CONNECT_INSTANCE_ID, a/b, CONNECT_INSTANCE_ID is not a Connect instance id",
      "SMS_PROVIDER, SMPP!, SMS_PROVIDER is not a provider type"})
  @DisplayName("a missing or malformed variable is named in the error")
  void settings(String variable, String value, String message) {
    assertThatThrownBy(() -> LambdaSettings.of(env(variable, value)))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("environment variable " + message);
  }

  @Test
  @DisplayName("the routing configuration: a missing file, a missing resource, a file that does not validate")
  void routingConfiguration(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> resources(env("SMS_ROUTING_CONFIG", dir.resolve("nope.yaml").toString())).build())
        .hasMessageContaining("SMS_ROUTING_CONFIG").hasMessageContaining("no file");
    assertThatThrownBy(() -> resources(env("SMS_ROUTING_CONFIG", "classpath:nope.yaml")).build())
        .hasMessageContaining("SMS_ROUTING_CONFIG").hasMessageContaining("nope.yaml");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "mappings:\n  - code: x\n    provider: smsc\n"
        + "    defaultCountry: US\n    numbers: []\n");
    assertThatThrownBy(() -> resources(env("SMS_ROUTING_CONFIG", bad.toString())).build())
        .isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("SMS_ROUTING_CONFIG").hasMessageContaining("numbers");
    Path good = Files.writeString(dir.resolve("good.yaml"), "mappings:\n  - code: x\n    provider: smsc\n"
        + "    defaultCountry: US\n    numbers:\n      - number: \"+14155550100\"\n        displayName: ACME\n"
        + "        queue: support\n");
    assertThat(resources(env("SMS_ROUTING_CONFIG", good.toString())).build().routing().mappings()).hasSize(1);
  }

  @Test
  @DisplayName("a table that does not exist is named with SMS_TABLE_NAME")
  void missingTable() {
    assertThatThrownBy(() -> resources(env("SMS_TABLE_NAME", "no-such-table")).build())
        .hasMessageContaining("SMS_TABLE_NAME").hasMessageContaining("no-such-table");
  }

  @Test
  @DisplayName("the Task handler needs SMS_PROVIDER, each required provider setting, and matching provider names")
  void provider() {
    assertThatThrownBy(() -> new TaskOriginationHandler(resources(env("SMS_PROVIDER", null)).build()))
        .hasMessageContaining("SMS_PROVIDER is not set");
    assertThatThrownBy(() -> new TaskOriginationHandler(resources(env("SMPP_HOST", null)).build()))
        .hasMessageContaining("smpp.host").hasMessageContaining("set environment variable SMPP_HOST");
    assertThatThrownBy(() -> new TaskOriginationHandler(resources(env("SMPP_PASSWORD", "much-too-long")).build()))
        .hasMessageContaining("smpp.password").hasMessageContaining("environment variable SMPP_PASSWORD")
        .hasMessageNotContaining("much-too-long");
    assertThatThrownBy(() -> new TaskOriginationHandler(resources(env("SMS_PROVIDER", "carrier-pigeon")).build()))
        .hasMessageContaining("SMS_PROVIDER=carrier-pigeon").hasMessageContaining("smpp");
    assertThatThrownBy(() -> new TaskOriginationHandler(resources(env("SMS_PROVIDER_NAME", null)).build()))
        .hasMessageContaining("provider 'smsc'").hasMessageContaining("SMS_PROVIDER_NAME");
  }

  @Test
  @DisplayName("the lookup handler needs a Connect queue for every number, or a default queue")
  void queues() {
    assertThatThrownBy(() -> new ReplyLookupHandler(resources(env("CONNECT_QUEUES", "support=q-1")).build()))
        .hasMessageContaining("CONNECT_QUEUES").hasMessageContaining("'billing'");
    assertThat(new ReplyLookupHandler(resources(env("CONNECT_QUEUES", null, "CONNECT_DEFAULT_QUEUE",
        LambdaWorld.SUPPORT_QUEUE)).build())).isNotNull();
  }

  @ParameterizedTest
  @CsvSource({"smpp.systemId, SMPP_SYSTEM_ID", "smpp.password, SMPP_PASSWORD", "twilio.authToken, TWILIO_AUTH_TOKEN",
      "eum.region, EUM_REGION", "eum.originationIdentity, EUM_ORIGINATION_IDENTITY"})
  @DisplayName("each provider setting has its environment variable")
  void variableNames(String key, String variable) {
    assertThat(LambdaSettings.variableOf(key)).isEqualTo(variable);
  }

  @Test
  @DisplayName("provider secrets from AWS Secrets Manager: used by the provider, never in an error")
  void secretsManager() throws Exception {
    String password = world.smsc.password();
    List<String> targets = new CopyOnWriteArrayList<>();
    HttpServer aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    aws.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
      }
      boolean known = targets.get(targets.size() - 1).contains("\"SecretId\":\"sms/smpp\"");
      String out = known
          ? "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:sms/smpp-AbCdEf\",\"Name\":\"sms/smpp\","
              + "\"SecretString\":\"{\\\"smpp.password\\\":\\\"" + password + "\\\"}\",\"VersionId\":\"v1\"}"
          : "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}";
      byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(known ? 200 : 400, bytes.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    });
    aws.start();
    try (SecretsManagerClient secrets = SecretsManagerClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + aws.getAddress().getPort())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      LambdaResources fromSecret = resources(env("SMPP_PASSWORD", null, "SMS_SECRET_ID", "sms/smpp"))
          .secretsManagerClient(secrets).build();
      TaskOriginationHandler handler = new TaskOriginationHandler(fromSecret);
      assertThat(handler.handle(stream(event("task-created-by-agent.json")))).containsEntry("status", "SENT");
      assertThat(targets.get(0)).startsWith("secretsmanager.GetSecretValue ");
      fromSecret.close();

      assertThatThrownBy(() -> new TaskOriginationHandler(resources(env("SMPP_PASSWORD", null,
          "SMS_SECRET_ID", "sms/other")).secretsManagerClient(secrets).build()))
          .hasMessageContaining("SMS_SECRET_ID").hasMessageContaining("sms/other")
          .hasMessageContaining("ResourceNotFoundException").hasMessageNotContaining(password);
    } finally {
      aws.stop(0);
    }
  }
}
