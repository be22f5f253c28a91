package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link OriginatorStore} on DynamoDB: one item per (customer, business number), with the native TTL attribute set to
 * the record's expiry. A put replaces the item unless the stored record was created later (a conditional write on
 * {@code created}, so the newest agent text wins whatever order two gateways' writes arrive in). Reads are strongly
 * consistent and check the expiry, because DynamoDB deletes expired items only eventually.
 *
 * <p>Thread-safe.
 */
final class DynamoDbOriginatorStore implements OriginatorStore {

  static final String PREFIX = "orig#";
  private static final String SK = "orig";

  private final Table table;
  private final Clock clock;

  DynamoDbOriginatorStore(Table table, Clock clock) {
    this.table = table;
    this.clock = clock;
  }

  static String pk(PhoneNumber customer, Originator business) {
    return PREFIX + customer.e164() + "#" + business.key();
  }

  @Override
  public void put(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    Map<String, AttributeValue> item = new HashMap<>(Table.key(pk(record.customer(), record.business()), SK));
    item.put("biz", s(Table.originatorRef(record.business())));
    item.put("agent", s(record.agentId()));
    Table.putIfNotNull(item, "text", record.outboundText());
    Table.putIfNotNull(item, "mid", record.messageId());
    item.put("created", n(Table.nanos(record.createdAt())));
    item.put("expires", n(Table.nanos(record.expiresAt())));
    item.put(Table.TTL, Table.ttl(record.expiresAt()));
    try {
      table.call("originator put", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
          .item(item).conditionExpression("attribute_not_exists(pk) OR created <= :created")
          .expressionAttributeValues(Map.of(":created", item.get("created"))).build()));
    } catch (ConditionalCheckFailedException newerStored) {
      // A record created later is already there: it wins.
    }
  }

  @Override
  public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Map<String, AttributeValue> item = table.get("originator find", pk(customer, business), SK);
    if (item == null) {
      return Optional.empty();
    }
    OriginatorRecord record = read(customer, item);
    return record.isLiveAt(clock.instant()) ? Optional.of(record) : Optional.empty();
  }

  private static OriginatorRecord read(PhoneNumber customer, Map<String, AttributeValue> item) {
    return new OriginatorRecord(customer, Table.originator(Table.string(item, "biz")), Table.string(item, "agent"),
        Table.string(item, "text"), Table.string(item, "mid"), Table.instant(item, "created"),
        Table.instant(item, "expires"));
  }

  @Override
  public boolean remove(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Map<String, AttributeValue> old = table.call("originator remove", () -> table.client.deleteItem(
        DeleteItemRequest.builder().tableName(table.name).key(Table.key(pk(customer, business), SK))
            .returnValues(ReturnValue.ALL_OLD).build())).attributes();
    // An expired record counts as absent, as it does for find.
    return old != null && !old.isEmpty() && read(customer, old).isLiveAt(clock.instant());
  }

  @Override
  public int purgeExpired() {
    return Purger.purge(table, PREFIX, Table.nanos(clock.instant()));
  }
}
