package dev.smsgateway.connect.lambda;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.smsgateway.store.dynamodb.DynamoDbStores;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local 2.x in this JVM (embedded: no HTTP server, no port), shared by the tests of one JVM; each test gets
 * its own table, created as the SAM template creates it (pk/sk, native TTL on {@code ttl}). Telemetry is off.
 */
final class LocalDynamoDb {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static AmazonDynamoDBLocal local;

  private LocalDynamoDb() {}

  static synchronized DynamoDbClient client() {
    if (local == null) {
      local = DynamoDBEmbedded.create(null, false);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> local.shutdownNow(), "dynamodb-local-shutdown"));
    }
    return local.dynamoDbClient();
  }

  static String newTable() {
    String name = "lambda-test-" + TABLES.incrementAndGet();
    DynamoDbStores.createTable(client(), name);
    return name;
  }
}
