package dev.smsgateway.store.dynamodb;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEventBus;
import dev.smsgateway.events.ConversationEventListener;
import dev.smsgateway.events.ConversationEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * {@link ConversationEvents} on DynamoDB: events are items of their own table, and each instance reads that table's
 * DynamoDB stream ({@code KEYS_ONLY}) to hear of events appended by the others, then reads the items. A poll every
 * {@link Builder#pollInterval} (default 30 s) is the safety net.
 * <pre>{@code
 * DynamoDbConversationEvents.createTable(client, "sms-events");   // development only: production tables come from IaC
 * DynamoDbConversationEvents events = DynamoDbConversationEvents.builder()
 *     .client(client).streamsClient(DynamoDbStreamsClient.create()).tableName("sms-events").build();
 * events.subscribe(hostName, event -> desktops.push(event)).attach("alice");
 * }</pre>
 *
 * <p>The table: string partition key {@code pk}, number sort key {@code sk}, stream enabled (any view type; the
 * keys are enough), TTL on {@code ttl} (events expire after {@link Builder#retention}, default 7 days). Why a table
 * of its own: a stream carries every write of its table, and the stores' table is written far more often than events
 * are published.
 *
 * <p>DynamoDB Streams advises at most two readers per shard and allows 5 {@code GetRecords} calls per second per
 * shard; every instance reads every shard every {@link Builder#streamPollInterval} (default 1 s). Past about four
 * instances, lengthen that interval or fan out through SNS and one SQS queue per instance instead.
 *
 * <p>Thread-safe. {@link #close()} stops the subscriptions and the stream reader; the clients belong to the
 * application.
 */
public final class DynamoDbConversationEvents implements ConversationEvents {

  private final String tableName;
  private final ConversationEventBus bus;
  private final DynamoDbStreamsNotifications notifications;

  private DynamoDbConversationEvents(Builder b) {
    this.tableName = b.tableName;
    TableDescription table = new Table(b.client, b.tableName).call("describe table",
        () -> b.client.describeTable(DescribeTableRequest.builder().tableName(b.tableName).build())).table();
    String streamArn = table.latestStreamArn();
    if (streamArn == null || table.streamSpecification() == null
        || !Boolean.TRUE.equals(table.streamSpecification().streamEnabled())) {
      throw new SmsConfigurationException("DynamoDB table " + b.tableName + " has no stream: enable DynamoDB Streams"
          + " on it (see DynamoDbConversationEvents.createTable)");
    }
    this.bus = ConversationEventBus.builder(new DynamoDbConversationEventLog(b.client, b.tableName, b.retention,
        b.clock)).pollInterval(b.pollInterval).clock(b.clock).claimLease(b.claimLease).build();
    this.notifications = new DynamoDbStreamsNotifications(b.streamsClient, streamArn, bus,
        Math.max(1, b.streamPollInterval.toMillis()), b.name);
    notifications.start();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the events table (on-demand capacity, stream with keys only, TTL on {@code ttl}) and waits until it is
   * active. For development and tests; an existing table is left as it is.
   */
  public static void createTable(DynamoDbClient client, String tableName) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(tableName, "tableName == null");
    Table table = new Table(client, tableName);
    try {
      table.call("create table", () -> client.createTable(CreateTableRequest.builder().tableName(tableName)
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(
              AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
              AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
              KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
          .streamSpecification(StreamSpecification.builder().streamEnabled(true)
              .streamViewType(StreamViewType.KEYS_ONLY).build())
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

  @Override
  public ConversationEvent publish(ConversationEvent event) {
    return bus.publish(event);
  }

  @Override
  public Subscription subscribe(String name, ConversationEventListener listener) {
    return bus.subscribe(name, listener);
  }

  @Override
  public List<ConversationEvent> read(String stream, long afterPosition, int limit) {
    return bus.read(stream, afterPosition, limit);
  }

  /** Deletes events before {@code cutoff} now (a scan); with the table's TTL, DynamoDB does this by itself. */
  @Override
  public int purgeBefore(Instant cutoff) {
    return bus.purgeBefore(cutoff);
  }

  /** Whether the stream reader runs. */
  public boolean listening() {
    return notifications.started();
  }

  @Override
  public void close() {
    bus.close();
    notifications.close();
  }

  @Override
  public String toString() {
    return "DynamoDbConversationEvents{table=" + tableName + "}";
  }

  /** Builds {@link DynamoDbConversationEvents}. Not thread-safe. */
  public static final class Builder {
    private DynamoDbClient client;
    private DynamoDbStreamsClient streamsClient;
    private String tableName;
    private String name = "dynamodb";
    private Clock clock = Clock.systemUTC();
    private Duration retention = Duration.ofDays(7);
    private Duration pollInterval = Duration.ofSeconds(30);
    private Duration streamPollInterval = Duration.ofSeconds(1);
    private Duration claimLease = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * How long a subscription's claim on a stream's events holds without an acknowledgement (default 30 s): the
     * events an instance claimed and did not deliver before it died reach the agent's next instance this much later.
     * See {@link ConversationEventBus.Builder#claimLease}.
     */
    public Builder claimLease(Duration claimLease) {
      this.claimLease = positive("claimLease", claimLease);
      return this;
    }

    /** The application's DynamoDB client. Required. */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** The application's DynamoDB Streams client, same account and region. Required. */
    public Builder streamsClient(DynamoDbStreamsClient streamsClient) {
      this.streamsClient = Objects.requireNonNull(streamsClient, "streamsClient == null");
      return this;
    }

    /** The events table (see {@link #createTable}). Required. */
    public Builder tableName(String tableName) {
      this.tableName = Objects.requireNonNull(tableName, "tableName == null");
      return this;
    }

    /** Names this instance's threads (default "dynamodb"). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /** The clock of claim leases and of which events are past the retention when reading (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How long events are kept (default 7 days): their {@code ttl}; an instance down longer misses them. */
    public Builder retention(Duration retention) {
      this.retention = positive("retention", retention);
      return this;
    }

    /** The safety-net poll of every attached stream (default 30 s); {@link Duration#ZERO} never. */
    public Builder pollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval == null");
      if (pollInterval.isNegative()) {
        throw new SmsValidationException("pollInterval", "must not be negative: " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** How often each shard of the table's stream is read (default 1 s). */
    public Builder streamPollInterval(Duration streamPollInterval) {
      this.streamPollInterval = positive("streamPollInterval", streamPollInterval);
      return this;
    }

    private static Duration positive(String field, Duration value) {
      Objects.requireNonNull(value, field + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new SmsValidationException(field, "must be positive: " + value);
      }
      return value;
    }

    /**
     * The events.
     *
     * @throws SmsConfigurationException if a client or the table name is missing, or the table has no stream
     */
    public DynamoDbConversationEvents build() {
      if (client == null || streamsClient == null || tableName == null) {
        throw new SmsConfigurationException("DynamoDbConversationEvents needs client(..), streamsClient(..) and"
            + " tableName(..)");
      }
      return new DynamoDbConversationEvents(this);
    }
  }
}
