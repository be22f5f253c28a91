package dev.smsgateway.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.test.ConversationEventsCompatibilityKit;
import java.time.Duration;

/**
 * The kit on DynamoDB Local (embedded) with its DynamoDB Streams, polling of the table switched off: every delivery to
 * another instance here comes from a stream record. The retention is long and the clock sits at the kit's start,
 * because DynamoDB Local's TTL really deletes items whose {@code ttl} is past on the wall clock.
 */
class DynamoDbConversationEventsCompatibilityTest extends ConversationEventsCompatibilityKit {

  private String table;

  @Override
  protected void freshBackend() {
    table = "sms-events-" + java.util.UUID.randomUUID();
    DynamoDbConversationEvents.createTable(LocalDynamoDb.client(), table);
  }

  @Override
  protected ConversationEvents newInstance() {
    DynamoDbConversationEvents events = DynamoDbConversationEvents.builder().client(LocalDynamoDb.client())
        .streamsClient(LocalDynamoDb.streamsClient()).tableName(table)
        .clock(clock).claimLease(claimLease()).retention(Duration.ofDays(36_500))
        .pollInterval(Duration.ZERO).streamPollInterval(Duration.ofMillis(20)).build();
    assertThat(events.listening()).isTrue();
    return events;
  }

  @Override
  protected void closeBackend() {
    LocalDynamoDb.deleteTable(table);
  }
}
