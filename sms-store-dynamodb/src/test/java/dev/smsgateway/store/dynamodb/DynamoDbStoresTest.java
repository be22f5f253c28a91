package dev.smsgateway.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

class DynamoDbStoresTest {

  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00.250Z");
  private final DynamoDbClient client = LocalDynamoDb.client();

  @Test
  @DisplayName("createTable is idempotent and turns on native TTL on the ttl attribute")
  void createTable() {
    String table = LocalDynamoDb.newTable();
    try {
      DynamoDbStores.createTable(client, table);
      var ttl = client.describeTimeToLive(DescribeTimeToLiveRequest.builder().tableName(table).build())
          .timeToLiveDescription();
      assertThat(ttl.attributeName()).isEqualTo("ttl");
      assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
    } finally {
      LocalDynamoDb.deleteTable(table);
    }
  }

  @Test
  @DisplayName("items that expire carry the native TTL in epoch seconds, rounded up, and the exact expiry")
  void nativeTtlAttribute() {
    String table = LocalDynamoDb.newTable();
    try {
      DynamoDbStores stores = DynamoDbStores.builder().client(client).tableName(table).clock(clock).build();
      OriginatorRecord record = OriginatorRecord.of(CUSTOMER, BUSINESS, "alice", "hi", null, clock.instant(),
          Duration.ofHours(24));
      stores.originatorStore().put(record);
      Instant claimExpiry = clock.instant().plusSeconds(60);
      stores.messageStore().claimIdempotencyKey("order-42", "m1", claimExpiry);

      Map<String, AttributeValue> item = raw(table, "orig#+14155550100#+14155550199", "orig");
      assertThat(item.get("ttl").n()).isEqualTo(Long.toString(record.expiresAt().getEpochSecond() + 1));
      assertThat(Table.fromNanos(Long.parseLong(item.get("expires").n()))).isEqualTo(record.expiresAt());
      assertThat(raw(table, "idem#order-42", "idem").get("ttl").n())
          .isEqualTo(Long.toString(claimExpiry.getEpochSecond() + 1));

      // Past its expiry the item is still in the table (DynamoDB deletes lazily), and never served.
      clock.advance(Duration.ofHours(24));
      assertThat(raw(table, "orig#+14155550100#+14155550199", "orig")).isNotEmpty();
      assertThat(stores.originatorStore().find(CUSTOMER, BUSINESS)).isEmpty();
      assertThat(stores.purgeExpired()).isEqualTo(2);
      assertThat(raw(table, "orig#+14155550100#+14155550199", "orig")).isEmpty();
    } finally {
      LocalDynamoDb.deleteTable(table);
    }
  }

  @Test
  @DisplayName("a missing table is a configuration error that names it and the helper")
  void missingTable() {
    assertThatThrownBy(() -> DynamoDbStores.builder().client(client).tableName("no-such-table").build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("no-such-table")
        .hasMessageContaining("createTable");
    assertThatThrownBy(() -> DynamoDbStores.builder().build()).isInstanceOf(SmsConfigurationException.class);
    assertThatThrownBy(() -> DynamoDbStores.builder().client(null)).hasMessage("client == null");
  }

  @Test
  @DisplayName("a DynamoDB failure is a retryable SmsTransportException with the AWS error code")
  void sdkFailure() {
    String table = LocalDynamoDb.newTable();
    DynamoDbStores stores = DynamoDbStores.builder().client(client).tableName(table).clock(clock).build();
    LocalDynamoDb.deleteTable(table);
    assertThatThrownBy(() -> stores.optOutStore().isOptedOut(CUSTOMER))
        .isInstanceOfSatisfying(SmsTransportException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.providerCode()).contains("ResourceNotFoundException");
        });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "2026-01-01T00:00:00Z, 1767225600",
      "2026-01-01T00:00:00.000000001Z, 1767225601",
      "2026-01-01T00:00:00.999Z, 1767225601",
  })
  void ttlRoundsUp(Instant expiresAt, long epochSeconds) {
    assertThat(Table.ttl(expiresAt).n()).isEqualTo(Long.toString(epochSeconds));
  }

  @Test
  void keyPartsAreLengthPrefixed() {
    assertThat(DynamoDbMessageStore.linkKey("a#b", "c")).isNotEqualTo(DynamoDbMessageStore.linkKey("a", "b#c"));
  }

  private Map<String, AttributeValue> raw(String table, String pk, String sk) {
    return client.getItem(GetItemRequest.builder().tableName(table).key(Table.key(pk, sk)).consistentRead(true)
        .build()).item();
  }
}
