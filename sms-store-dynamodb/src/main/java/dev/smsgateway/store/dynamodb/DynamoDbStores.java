package dev.smsgateway.store.dynamodb;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import java.time.Clock;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * Durable stores on Amazon DynamoDB, for several gateway instances sharing state, built from the application's own
 * {@link DynamoDbClient} (its credentials, region, HTTP client and retry settings).
 *
 * <pre>{@code
 * DynamoDbClient client = DynamoDbClient.create();
 * DynamoDbStores.createTable(client, "sms-gateway");   // development only: production tables come from IaC
 * DynamoDbStores stores = DynamoDbStores.builder().client(client).tableName("sms-gateway").build();
 * SmsGateway gateway = SmsGateway.builder().provider(provider)
 *     .optOutStore(stores.optOutStore()).messageStore(stores.messageStore()).build();
 * }</pre>
 *
 * <h2>Key design</h2>
 * One table, string partition key {@code pk} and sort key {@code sk}, every kind of item told apart by a prefix:
 * <table>
 *   <caption>items</caption>
 *   <tr><th>item</th><th>pk</th><th>sk</th></tr>
 *   <tr><td>originator record</td><td>{@code orig#<customer E.164>#<business key>}</td><td>{@code orig}</td></tr>
 *   <tr><td>opt-out</td><td>{@code optout#<customer E.164>}</td><td>{@code optout}</td></tr>
 *   <tr><td>idempotency claim</td><td>{@code idem#<key>}</td><td>{@code idem}</td></tr>
 *   <tr><td>seen mark</td><td>{@code seen#<key>}</td><td>{@code seen}</td></tr>
 *   <tr><td>message</td><td>{@code msg#<message id>}</td><td>{@code msg}</td></tr>
 *   <tr><td>provider id link</td><td>{@code link#<len>:<provider>#<provider id>}</td><td>{@code link}</td></tr>
 *   <tr><td>parked report</td><td>{@code park#<len>:<provider>#<provider id>}</td>
 *       <td>{@code <occurred nanos>#<uuid>}</td></tr>
 *   <tr><td>counter</td><td>{@code count#<key>}</td><td>{@code count}</td></tr>
 *   <tr><td>conversation</td><td>{@code conv#<id>}</td><td>{@code conv}</td></tr>
 *   <tr><td>transcript line</td><td>{@code conv#<id>}</td><td>{@code line#<sequence>}</td></tr>
 *   <tr><td>open-conversation marker</td><td>{@code open#<customer E.164>#<business key>}</td><td>{@code open}</td></tr>
 *   <tr><td>agent (presence, capacity, slots)</td><td>{@code agents}</td><td>{@code agent#<agent id>}</td></tr>
 *   <tr><td>offer to an originating agent</td><td>{@code offers}</td><td>{@code offer#<conversation id>}</td></tr>
 *   <tr><td>consent record</td><td>{@code consent#<customer E.164>}</td><td>{@code <at>#<scope>#<purpose>#...}</td></tr>
 *   <tr><td>held message</td><td>{@code held}</td><td>{@code <release at>#<sequence>#<message id>}</td></tr>
 *   <tr><td>audit event copy</td><td>{@code audit#c#<customer>}, {@code audit#v#<conversation>},
 *       {@code audit#m#<message>}, {@code audit#d#<UTC day>}</td><td>{@code <sequence>}</td></tr>
 *   <tr><td>audit day</td><td>{@code auditdays}</td><td>{@code <UTC day>}</td></tr>
 * </table>
 * Two sparse global secondary indexes hold open conversations only: {@code byTarget} ({@code g1pk} =
 * {@code target#<target key>}, {@code g1sk} = opened time) and {@code byActivity} ({@code g2pk} = {@code open},
 * {@code g2sk} = last activity). Items that expire carry {@code ttl} (epoch seconds), the table's native TTL
 * attribute; because DynamoDB deletes expired items only eventually, every read checks the expiry too.
 *
 * <p>All reads of items are strongly consistent; index queries are eventually consistent.
 *
 * <p>Thread-safe. The client belongs to the application, which closes it.
 */
public final class DynamoDbStores {

  private final Table table;
  private final DynamoDbOriginatorStore originators;
  private final DynamoDbOptOutStore optOuts;
  private final DynamoDbMessageStore messages;
  private final DynamoDbConversationStore conversations;
  private final DynamoDbAgentStore agents;
  // ---- compliance stores ----
  private final DynamoDbConsentStore consents;
  private final DynamoDbHeldMessageStore held;
  private final DynamoDbAuditLog audit;
  private final DynamoDbRetentionStore retention;

  private DynamoDbStores(Builder b) {
    this.table = new Table(b.client, b.tableName);
    this.originators = new DynamoDbOriginatorStore(table, b.clock);
    this.optOuts = new DynamoDbOptOutStore(table);
    this.messages = new DynamoDbMessageStore(table, b.clock);
    this.conversations = new DynamoDbConversationStore(table);
    this.agents = new DynamoDbAgentStore(table);
    this.consents = new DynamoDbConsentStore(table, b.clock);
    this.held = new DynamoDbHeldMessageStore(table);
    this.audit = new DynamoDbAuditLog(table);
    this.retention = new DynamoDbRetentionStore(table);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The originator store. */
  public OriginatorStore originatorStore() {
    return originators;
  }

  /** The opt-out store. */
  public OptOutStore optOutStore() {
    return optOuts;
  }

  /** The message store. */
  public MessageStore messageStore() {
    return messages;
  }

  /** The conversation store. */
  public ConversationStore conversationStore() {
    return conversations;
  }

  /**
   * The agent store: agents, their load and pending offers, shared by every instance on this table (give it to each
   * instance's {@code ConversationService.Builder.agentStore}).
   */
  public AgentStore agentStore() {
    return agents;
  }

  // ---- compliance stores (begin) ----
  /** The consent records (items {@code consent#<customer>}). */
  public dev.smsgateway.compliance.ConsentStore consentStore() {
    return consents;
  }

  /** The messages held for quiet hours (items in partition {@code held}). */
  public dev.smsgateway.compliance.HeldMessageStore heldMessageStore() {
    return held;
  }

  /** The audit trail (items {@code audit#...} and {@code auditdays}). */
  public dev.smsgateway.compliance.AuditLog auditLog() {
    return audit;
  }
  /** Retention of conversations (with transcripts) and message records (scans the table: run it daily). */
  public dev.smsgateway.compliance.RetentionStore retentionStore() {
    return retention;
  }
  // ---- compliance stores (end) ----

  /** The table name. */
  public String tableName() {
    return table.name;
  }

  /**
   * Deletes expired items now by scanning the table (costly on a large table). Production relies on the table's
   * native TTL instead; reads never return an expired item either way.
   */
  public int purgeExpired() {
    return originators.purgeExpired() + messages.purgeExpired();
  }

  @Override
  public String toString() {
    return "DynamoDbStores{table=" + table.name + "}";
  }

  /**
   * Creates the table with its indexes (on-demand capacity) and turns on native TTL on {@code ttl}, then waits until
   * it is active. Does nothing if the table exists. Meant for development and tests; in production, create the table
   * with your infrastructure tooling from the key design above.
   */
  public static void createTable(DynamoDbClient client, String tableName) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(tableName, "tableName == null");
    Table table = new Table(client, tableName);
    try {
      table.call("create table", () -> client.createTable(CreateTableRequest.builder().tableName(tableName)
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(stringAttribute(Table.PK), stringAttribute(Table.SK),
              stringAttribute(Table.GSI_TARGET_PK), stringAttribute(Table.GSI_TARGET_SK),
              stringAttribute(Table.GSI_IDLE_PK), stringAttribute(Table.GSI_IDLE_SK))
          .keySchema(hash(Table.PK), range(Table.SK))
          .globalSecondaryIndexes(index(Table.GSI_TARGET, Table.GSI_TARGET_PK, Table.GSI_TARGET_SK),
              index(Table.GSI_IDLE, Table.GSI_IDLE_PK, Table.GSI_IDLE_SK))
          .build()));
    } catch (dev.smsgateway.SmsTransportException e) {
      if (!(e.getCause() instanceof ResourceInUseException)) {
        throw e;
      }
      return;
    }
    table.call("wait for table", () -> client.waiter().waitUntilTableExists(DescribeTableRequest.builder()
        .tableName(tableName).build()));
    table.call("enable TTL", () -> client.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(tableName)
        .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(Table.TTL).enabled(true).build())
        .build()));
  }

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement hash(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
  }

  private static KeySchemaElement range(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
  }

  private static GlobalSecondaryIndex index(String name, String pk, String sk) {
    return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(pk), range(sk))
        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
  }

  /** Builds {@link DynamoDbStores}. Not thread-safe. */
  public static final class Builder {
    private DynamoDbClient client;
    private String tableName = "sms-gateway";
    private Clock clock = Clock.systemUTC();
    private boolean verifyTable = true;

    private Builder() {}

    /** The application's client. Required. */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** The table. Default {@code sms-gateway}. */
    public Builder tableName(String tableName) {
      Objects.requireNonNull(tableName, "tableName == null");
      if (tableName.isBlank()) {
        throw new dev.smsgateway.SmsValidationException("tableName", "is blank");
      }
      this.tableName = tableName;
      return this;
    }

    /** The clock for TTLs on read. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Whether {@link #build()} checks that the table exists (one DescribeTable call). Default true. */
    public Builder verifyTable(boolean verifyTable) {
      this.verifyTable = verifyTable;
      return this;
    }

    /**
     * Builds the stores.
     *
     * @throws SmsConfigurationException if no client was given, or the table does not exist
     */
    public DynamoDbStores build() {
      if (client == null) {
        throw new SmsConfigurationException("DynamoDbStores needs a client: builder().client(dynamoDbClient)");
      }
      if (verifyTable) {
        try {
          client.describeTable(DescribeTableRequest.builder().tableName(tableName).build());
        } catch (ResourceNotFoundException e) {
          throw new SmsConfigurationException("DynamoDB table '" + tableName + "' does not exist: create it with"
              + " DynamoDbStores.createTable(client, \"" + tableName + "\") or from the key design in the docs");
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
          throw Table.failure("describe table", e);
        }
      }
      return new DynamoDbStores(this);
    }
  }
}
