package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.HeldMessage;
import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.compliance.Purpose;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link HeldMessageStore} on DynamoDB: one partition ({@code held}) whose sort key is the release time, the sequence
 * and the message id, so a query returns due messages in release order. The key never changes: {@link #takeDue}
 * claims an item by setting its {@code leaseUntil} attribute (epoch nanoseconds) to {@code now + lease} under the
 * condition that the lease is still the value it read (absent, or the passed lease of a taker that crashed), and
 * returns only the items its own update claimed: two gateways never hold the same claim at once. The due query skips
 * items whose lease has not passed; a message taken again keeps its place in the release order. Each message also
 * has a pointer item (partition {@code held-id}, sort key the message id, written in the same transaction) naming its
 * sort key, so {@link #remove} finds it by id without reading the partition. One partition bounds the rate of holds
 * and releases to DynamoDB's per-partition limits (about 1,000 writes a second), far above what a night of held
 * messages needs.
 *
 * <p>Thread-safe.
 */
final class DynamoDbHeldMessageStore implements HeldMessageStore {

  private static final String PK = "held";
  private static final String ID_PK = "held-id";

  private final Table table;

  DynamoDbHeldMessageStore(Table table) {
    this.table = table;
  }

  private static String sortKey(HeldMessage m) {
    return Table.sortable(m.releaseAt()) + "#" + String.format("%020d", m.sequence()) + "#" + m.messageId();
  }

  @Override
  public void hold(HeldMessage m) {
    Objects.requireNonNull(m, "message == null");
    Map<String, AttributeValue> item = new HashMap<>(Table.key(PK, sortKey(m)));
    item.put("id", s(m.messageId()));
    item.put("to", s(m.to().e164()));
    Table.putIfNotNull(item, "from", m.fromKey());
    item.put("body", s(m.body()));
    Table.putIfNotNull(item, "provider", m.provider());
    item.put("purpose", s(m.purpose().name()));
    item.put("dlr", AttributeValue.fromBool(m.deliveryReport()));
    item.put("media", AttributeValue.fromL(m.mediaUrls().stream().map(u -> s(u.toString())).toList()));
    Map<String, AttributeValue> attributes = new HashMap<>();
    m.attributes().forEach((k, v) -> attributes.put(k, s(v)));
    item.put("attrs", AttributeValue.fromM(attributes));
    item.put("release", n(Table.nanos(m.releaseAt())));
    item.put("seq", n(m.sequence()));
    Map<String, AttributeValue> pointer = new HashMap<>(Table.key(ID_PK, m.messageId()));
    pointer.put("ref", s(sortKey(m)));
    table.call("held message hold", () -> table.client.transactWriteItems(TransactWriteItemsRequest.builder()
        .transactItems(
            TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item).build()).build(),
            TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(pointer).build()).build())
        .build()));
  }

  @Override
  public List<HeldMessage> takeDue(Instant now, int limit, Duration lease) {
    Objects.requireNonNull(now, "now == null");
    AttributeValue until = n(Table.nanos(now.plus(Objects.requireNonNull(lease, "lease == null"))));
    // '~' sorts after every digit and '#': every key released at or before now, unless claimed and the lease runs
    List<Map<String, AttributeValue>> due = table.call("held message query", () -> table.client.queryPaginator(
        QueryRequest.builder().tableName(table.name).consistentRead(true)
            .keyConditionExpression("pk = :pk AND sk <= :now")
            .filterExpression("attribute_not_exists(leaseUntil) OR leaseUntil <= :nowNanos")
            .limit(Math.max(1, limit))
            .expressionAttributeValues(Map.of(":pk", s(PK), ":now", s(Table.sortable(now) + "#~"),
                ":nowNanos", n(Table.nanos(now)))).build()).items().stream().limit(limit).toList());
    List<HeldMessage> taken = new ArrayList<>(due.size());
    for (Map<String, AttributeValue> item : due) {
      AttributeValue read = item.get("leaseUntil");
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":until", until);
      if (read != null) {
        values.put(":read", read);
      }
      try {
        table.call("held message take", () -> table.client.updateItem(UpdateItemRequest.builder()
            .tableName(table.name).key(Table.key(PK, Table.string(item, "sk")))
            .updateExpression("SET leaseUntil = :until")
            .conditionExpression(read == null ? "attribute_exists(pk) AND attribute_not_exists(leaseUntil)"
                : "attribute_exists(pk) AND leaseUntil = :read")
            .expressionAttributeValues(values).build()));
        taken.add(read(item));
      } catch (ConditionalCheckFailedException takenElsewhere) {
        // another gateway claimed (or removed) it since the query
      }
    }
    return taken;
  }

  @Override
  public void remove(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    Map<String, AttributeValue> pointer = table.get("held message find", ID_PK, messageId);
    if (pointer == null) {
      return;
    }
    table.call("held message remove", () -> table.client.transactWriteItems(TransactWriteItemsRequest.builder()
        .transactItems(
            TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
                .key(Table.key(PK, Table.string(pointer, "ref"))).build()).build(),
            TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
                .key(Table.key(ID_PK, messageId)).build()).build())
        .build()));
  }

  @Override
  public List<HeldMessage> all() {
    return query(QueryRequest.builder().tableName(table.name).consistentRead(true)
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(PK))).build(),
        Integer.MAX_VALUE);
  }

  private List<HeldMessage> query(QueryRequest request, int limit) {
    return table.call("held message query", () -> table.client.queryPaginator(request).items().stream()
        .limit(limit).map(DynamoDbHeldMessageStore::read).toList());
  }

  private static HeldMessage read(Map<String, AttributeValue> i) {
    Map<String, String> attributes = new HashMap<>();
    i.get("attrs").m().forEach((k, v) -> attributes.put(k, v.s()));
    return new HeldMessage(Table.string(i, "id"), PhoneNumber.of(Table.string(i, "to")), Table.string(i, "from"),
        Table.string(i, "body"), Table.string(i, "provider"), Purpose.valueOf(Table.string(i, "purpose")),
        i.get("dlr").bool(), i.get("media").l().stream().map(v -> URI.create(v.s())).toList(), attributes,
        Table.instant(i, "release"), Table.number(i, "seq"));
  }
}
