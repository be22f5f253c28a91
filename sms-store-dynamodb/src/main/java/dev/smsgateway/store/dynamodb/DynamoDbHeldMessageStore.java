package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.HeldMessage;
import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.compliance.Purpose;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link HeldMessageStore} on DynamoDB: one partition ({@code held}) whose sort key is the release time, the sequence
 * and the message id, so a query returns due messages in release order. {@link #takeDue} deletes each item under the
 * condition that it still exists and returns only those its own delete removed: two gateways never both release a
 * message. One partition bounds the rate of holds and releases to DynamoDB's per-partition limits (about 1,000 writes
 * a second), far above what a night of held messages needs.
 *
 * <p>Thread-safe.
 */
final class DynamoDbHeldMessageStore implements HeldMessageStore {

  private static final String PK = "held";

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
    table.call("held message hold", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
        .item(item).build()));
  }

  @Override
  public List<HeldMessage> takeDue(Instant now, int limit) {
    Objects.requireNonNull(now, "now == null");
    // '~' sorts after every digit and '#': every key released at or before now
    List<HeldMessage> due = query(QueryRequest.builder().tableName(table.name).consistentRead(true)
        .keyConditionExpression("pk = :pk AND sk <= :now").limit(Math.max(1, limit))
        .expressionAttributeValues(Map.of(":pk", s(PK), ":now", s(Table.sortable(now) + "#~"))).build(), limit);
    List<HeldMessage> taken = new ArrayList<>(due.size());
    for (HeldMessage m : due) {
      try {
        table.call("held message take", () -> table.client.deleteItem(DeleteItemRequest.builder()
            .tableName(table.name).key(Table.key(PK, sortKey(m))).conditionExpression("attribute_exists(pk)")
            .build()));
        taken.add(m);
      } catch (ConditionalCheckFailedException takenElsewhere) {
        // another gateway released it
      }
    }
    return taken;
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
