package dev.smsgateway.benchmarks.lambda;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.connect.lambda.LambdaResources;
import dev.smsgateway.connect.lambda.LambdaSettings;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.dynamodb.DynamoDbStores;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One cold start, in a JVM of its own (started by {@link ColdStartBenchmark}): sets up its peers untimed (an
 * embedded SMSC, DynamoDB Local in-process with its table, a loopback Connect answering DescribeUser), then times
 * from loading the handler class to the end of its first event, and prints one {@code RESULT} line.
 *
 * <p>Modes: {@code task} (TaskOriginationHandler: routing file, stores, SMPP provider, one send);
 * {@code lookup-cold} (ReplyLookupHandler whose Connect client is built inside the timed span, as a function's cold
 * start builds it); {@code lookup-warm} (the same with the Connect client built and used once before the span).
 * DynamoDB Local's client comes with the embedded database, so it is initialised before the span in every mode.
 */
public final class ColdStartProbe {

  static final String INSTANCE = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  static final String USER = "5f0b8e2a-1111-4c3d-9e8f-a1b2c3d4e5f6";

  private ColdStartProbe() {}

  public static void main(String[] args) {
    try {
      run(args[0]);
    } catch (Throwable t) {
      t.printStackTrace(System.out);
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
    Runtime.getRuntime().halt(0); // the SMSC's and DynamoDB Local's threads outlive main
  }

  private static void run(String mode) throws Exception {
    System.setProperty("aws.region", "us-east-1");
    AmazonDynamoDBLocal local = DynamoDBEmbedded.create(null, false);
    DynamoDbClient dynamo = local.dynamoDbClient();
    DynamoDbStores.createTable(dynamo, "cold-start");
    SmscSimulator smsc = SmscSimulator.builder().credentials("bench", "benchpw").build().start();
    HttpServer connect = connectStandIn();
    Path routing = Files.createTempFile("routing", ".yaml");
    Files.writeString(routing, "mappings:\n  - code: support\n    provider: smsc\n    defaultCountry: US\n"
        + "    originatorTtl: PT24H\n    numbers:\n      - number: \"+14155550100\"\n"
        + "        displayName: ACME\n        queue: support\n");
    Map<String, String> env = new HashMap<>();
    env.put(LambdaSettings.TABLE_NAME, "cold-start");
    env.put(LambdaSettings.ROUTING_CONFIG, routing.toString());
    env.put(LambdaSettings.PROVIDER, "smpp");
    env.put(LambdaSettings.PROVIDER_NAME, "smsc");
    env.put("SMPP_HOST", smsc.host());
    env.put("SMPP_PORT", String.valueOf(smsc.port()));
    env.put("SMPP_SYSTEM_ID", "bench");
    env.put("SMPP_PASSWORD", "benchpw");
    env.put(LambdaSettings.CONNECT_DEFAULT_QUEUE, "11111111-2222-3333-4444-555555555555");
    URI connectUri = URI.create("http://127.0.0.1:" + connect.getAddress().getPort());
    ConnectClient warmConnect = null;
    if (mode.equals("lookup-warm")) {
      warmConnect = connectClient(connectUri);
      warmConnect.describeUser(r -> r.instanceId(INSTANCE).userId(USER)); // the handler caches nothing of it
    }
    String event;
    if (mode.equals("task")) {
      event = "{\"Details\":{\"ContactData\":{\"ContactId\":\"c-1\",\"Channel\":\"TASK\",\"Name\":\"+14155550123\","
          + "\"Description\":\"Your router ships today\",\"InstanceARN\":\"arn:aws:connect:us-east-1:123456789012:"
          + "instance/" + INSTANCE + "\",\"Attributes\":{\"agentUserName\":\"alice\"}},"
          + "\"Parameters\":{\"businessNumber\":\"+14155550100\"}},\"Name\":\"ContactFlowEvent\"}";
    } else {
      DynamoDbStores.builder().client(dynamo).tableName("cold-start").build().originatorStore().put(
          OriginatorRecord.of(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of("+14155550100")),
              USER, "Your router ships today", null, Instant.now(), Duration.ofHours(1)));
      event = "{\"Details\":{\"ContactData\":{\"ContactId\":\"c-2\",\"Channel\":\"CHAT\",\"InstanceARN\":"
          + "\"arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE + "\",\"CustomerEndpoint\":{\"Address\":"
          + "\"+14155550123\",\"Type\":\"TELEPHONE_NUMBER\"},\"SystemEndpoint\":{\"Address\":\"+14155550100\","
          + "\"Type\":\"TELEPHONE_NUMBER\"}},\"Parameters\":{}},\"Name\":\"ContactFlowEvent\"}";
    }

    long t0 = System.nanoTime();
    String handlerClass = mode.equals("task") ? "dev.smsgateway.connect.lambda.TaskOriginationHandler"
        : "dev.smsgateway.connect.lambda.ReplyLookupHandler";
    Class<?> type = Class.forName(handlerClass);
    LambdaResources.Builder resources = LambdaResources.builder().settings(LambdaSettings.of(env))
        .dynamoDbClient(dynamo);
    if (!mode.equals("task")) {
      resources.connectClient(warmConnect != null ? warmConnect : connectClient(connectUri));
    }
    Constructor<?> constructor = type.getConstructor(LambdaResources.class);
    Object handler = constructor.newInstance(resources.build());
    long t1 = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    type.getMethod("handleRequest", java.io.InputStream.class, OutputStream.class,
        com.amazonaws.services.lambda.runtime.Context.class)
        .invoke(handler, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    long t2 = System.nanoTime();
    String result = out.toString(StandardCharsets.UTF_8);
    boolean ok = mode.equals("task") ? result.contains("\"status\":\"SENT\"") : result.contains("\"route\":\"AGENT\"");
    System.out.printf("RESULT mode=%s ok=%s initMs=%.1f firstEventMs=%.1f totalMs=%.1f%n", mode, ok,
        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6);
    System.out.flush();
  }

  static ConnectClient connectClient(URI endpoint) {
    return ConnectClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  private static HttpServer connectStandIn() throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      boolean known = path.endsWith("/" + USER);
      String body = known
          ? "{\"User\":{\"Id\":\"" + USER + "\",\"Arn\":\"arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE
              + "/agent/" + USER + "\",\"Username\":\"alice\"}}"
          : "{\"Message\":\"User not found\"}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      if (!known) {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
      }
      exchange.sendResponseHeaders(known ? 200 : 404, bytes.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    });
    server.start();
    return server;
  }
}
