package dev.smsgateway.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** What the kit cannot say about DynamoDB: the table's set-up, and the retention by TTL. */
class DynamoDbConversationEventsTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  @DisplayName("a table without a stream is refused at build time, naming the table and the fix")
  void tableWithoutStream() {
    String table = LocalDynamoDb.newTable();   // the stores' table: no stream
    try {
      assertThatThrownBy(() -> DynamoDbConversationEvents.builder().client(LocalDynamoDb.client())
          .streamsClient(LocalDynamoDb.streamsClient()).tableName(table).build())
          .isInstanceOf(SmsConfigurationException.class).hasMessageContaining(table)
          .hasMessageContaining("DynamoDB Streams");
    } finally {
      LocalDynamoDb.deleteTable(table);
    }
  }

  @Test
  @DisplayName("the builder names what is missing or wrong")
  void builderChecks() {
    assertThatThrownBy(() -> DynamoDbConversationEvents.builder().client(LocalDynamoDb.client()).build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("streamsClient");
    assertThatThrownBy(() -> DynamoDbConversationEvents.builder().retention(Duration.ZERO))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("retention");
    assertThatThrownBy(() -> DynamoDbConversationEvents.builder().streamPollInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("streamPollInterval");
  }

  @Test
  @DisplayName("events carry ttl = time + retention, and are not read once past it even before DynamoDB deletes them")
  void retentionByTtl() {
    String table = "sms-events-ttl-" + java.util.UUID.randomUUID();
    DynamoDbConversationEvents.createTable(LocalDynamoDb.client(), table);
    // far in the future, so that DynamoDB Local's own TTL sweep (on the wall clock) leaves the item alone
    Instant at = Instant.parse("2100-01-01T00:00:00Z");
    MutableClock clock = new MutableClock(at);
    try (DynamoDbConversationEvents events = DynamoDbConversationEvents.builder().client(LocalDynamoDb.client())
        .streamsClient(LocalDynamoDb.streamsClient()).tableName(table).clock(clock).retention(Duration.ofDays(7))
        .build()) {
      events.publish(ConversationEvent.message("alice", "c", "in-1", at));
      Map<String, AttributeValue> item = LocalDynamoDb.client().getItem(GetItemRequest.builder().tableName(table)
          .key(Map.of("pk", AttributeValue.fromS("stream#alice"), "sk", AttributeValue.fromN("1")))
          .consistentRead(true).build()).item();
      assertThat(item.get("ttl").n()).isEqualTo(Long.toString(at.plus(Duration.ofDays(7)).getEpochSecond()));
      assertThat(events.read("alice", 0, 10)).hasSize(1);

      clock.advance(Duration.ofDays(7).plusSeconds(1));
      assertThat(events.read("alice", 0, 10)).isEmpty();
      assertThat(events.publish(ConversationEvent.message("alice", "c", "in-2", clock.instant())).position())
          .isEqualTo(2);
    } finally {
      LocalDynamoDb.deleteTable(table);
    }
  }
}
