package dev.smsgateway.store.dynamodb;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;

/**
 * DynamoDB Local 2.x in this JVM (embedded: no HTTP server, no port), shared by the tests of one JVM; each test gets
 * its own table, created as {@link DynamoDbStores#createTable} creates it (pk/sk, native TTL on {@code ttl}).
 * Telemetry is off (the second argument, and {@code DDB_LOCAL_TELEMETRY=0} from the pom). Public, and published in
 * this module's test-jar, for the other modules whose tests run on DynamoDB Local (sms-connect-lambda).
 */
public final class LocalDynamoDb {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static AmazonDynamoDBLocal local;

  private LocalDynamoDb() {}

  public static synchronized DynamoDbClient client() {
    if (local == null) {
      local = DynamoDBEmbedded.create(null, false);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> local.shutdownNow(), "dynamodb-local-shutdown"));
    }
    return local.dynamoDbClient();
  }

  /** The DynamoDB Streams client of the same embedded DynamoDB Local. */
  public static synchronized software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient streamsClient() {
    client();
    return local.dynamoDbStreamsClient();
  }

  /** Creates a fresh table and returns its name. */
  public static String newTable() {
    String name = "sms-test-" + TABLES.incrementAndGet();
    DynamoDbStores.createTable(client(), name);
    return name;
  }

  public static void deleteTable(String name) {
    client().deleteTable(DeleteTableRequest.builder().tableName(name).build());
  }
}
