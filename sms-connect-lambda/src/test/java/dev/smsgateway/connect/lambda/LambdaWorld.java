package dev.smsgateway.connect.lambda;

import dev.smsgateway.store.dynamodb.LocalDynamoDb;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;

/**
 * What the handler tests run against: an embedded SMSC (the provider is the real SMPP one, built from environment
 * variables), a fresh DynamoDB Local table, the Connect stand-in, a virtual clock, and the environment a deployed
 * function would have.
 */
final class LambdaWorld implements AutoCloseable {

  static final String INSTANCE = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  static final String INSTANCE_ARN = "arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE;
  static final String SUPPORT_QUEUE = "11111111-2222-3333-4444-555555555555";
  static final String BILLING_QUEUE_ARN = INSTANCE_ARN + "/queue/99999999-8888-7777-6666-555555555555";
  static final String CREATOR_ID = "0b7a3a1f-4c55-4a4e-9a21-7d0f3c9b8e11";
  static final ObjectMapper JSON = new ObjectMapper();

  final MutableClock clock = MutableClock.at("2026-12-06T10:00:00Z");
  final SmscSimulator smsc = SmscSimulator.builder().credentials("lambda-esme", "Pw7q2Zx9").build().start();
  final ConnectStandIn connect;
  final ConnectClient connectClient;
  final String table = LocalDynamoDb.newTable();
  final Map<String, String> env = new HashMap<>();
  private final List<LambdaResources> opened = new ArrayList<>();

  LambdaWorld() throws IOException {
    connect = new ConnectStandIn();
    connectClient = ConnectClient.builder().endpointOverride(connect.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    env.put(LambdaSettings.TABLE_NAME, table);
    env.put(LambdaSettings.ROUTING_CONFIG, "classpath:routing-test.yaml");
    env.put(LambdaSettings.PROVIDER, "smpp");
    env.put(LambdaSettings.PROVIDER_NAME, "smsc");
    env.put("SMPP_HOST", smsc.host());
    env.put("SMPP_PORT", String.valueOf(smsc.port()));
    env.put("SMPP_SYSTEM_ID", smsc.systemId());
    env.put("SMPP_PASSWORD", smsc.password());
    env.put(LambdaSettings.CONNECT_QUEUES, "support=" + SUPPORT_QUEUE + ",billing=" + BILLING_QUEUE_ARN);
  }

  /** Resources as a container would build them from {@link #env}, with the loopback clients. */
  LambdaResources resources() {
    LambdaResources r = LambdaResources.builder().settings(LambdaSettings.of(env)).clock(clock)
        .dynamoDbClient(LocalDynamoDb.client()).connectClient(connectClient).build();
    opened.add(r);
    return r;
  }

  static ObjectNode event(String fixture) {
    try (InputStream in = LambdaWorld.class.getResourceAsStream("/events/" + fixture)) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode event(String fixture, Consumer<ObjectNode> contactData) {
    ObjectNode e = event(fixture);
    contactData.accept((ObjectNode) e.path("Details").path("ContactData"));
    return e;
  }

  static InputStream stream(JsonNode event) {
    try {
      return new ByteArrayInputStream(JSON.writeValueAsBytes(event));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    opened.forEach(LambdaResources::close);
    connectClient.close();
    connect.close();
    smsc.close();
  }
}
