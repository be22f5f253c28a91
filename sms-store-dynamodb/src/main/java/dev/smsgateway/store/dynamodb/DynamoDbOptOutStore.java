package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@link OptOutStore} on DynamoDB: one item per customer, replaced only by a record at the same time or later (a
 * conditional put on {@code at}), so the newest record wins across gateways. Opt-outs never expire. Reads are
 * strongly consistent.
 *
 * <p>Thread-safe.
 */
final class DynamoDbOptOutStore implements OptOutStore {

  private static final String PREFIX = "optout#";
  private static final String SK = "optout";

  private final Table table;

  DynamoDbOptOutStore(Table table) {
    this.table = table;
  }

  @Override
  public void record(OptOutRecord record) {
    Objects.requireNonNull(record, "record == null");
    Map<String, AttributeValue> item = new HashMap<>(Table.key(PREFIX + record.customer().e164(), SK));
    item.put("out", AttributeValue.fromBool(record.optedOut()));
    Table.putIfNotNull(item, "kw", record.keyword());
    Table.putIfNotNull(item, "src", record.source());
    item.put("at", n(Table.nanos(record.at())));
    try {
      table.call("opt-out record", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
          .item(item).conditionExpression("attribute_not_exists(pk) OR #at <= :at")
          .expressionAttributeNames(Map.of("#at", "at"))
          .expressionAttributeValues(Map.of(":at", item.get("at"))).build()));
    } catch (ConditionalCheckFailedException newerStored) {
      // A newer record is already there: it wins.
    }
  }

  @Override
  public boolean isOptedOut(PhoneNumber customer) {
    return find(customer).map(OptOutRecord::optedOut).orElse(false);
  }

  @Override
  public Optional<OptOutRecord> find(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    Map<String, AttributeValue> item = table.get("opt-out find", PREFIX + customer.e164(), SK);
    if (item == null) {
      return Optional.empty();
    }
    return Optional.of(new OptOutRecord(customer, item.get("out").bool(), Table.string(item, "kw"),
        Table.string(item, "src"), Table.instant(item, "at")));
  }
}
