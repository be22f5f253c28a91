package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.ConsentMethod;
import dev.smsgateway.compliance.ConsentRecord;
import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.compliance.Purpose;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link ConsentStore} on DynamoDB: the customer's records in one partition ({@code consent#<E.164>}), one item each,
 * its sort key made of the record's time and fields, so that writing a record again rewrites the same item. A write
 * order attribute breaks ties between records of the same time. Reads are strongly consistent.
 *
 * <p>Thread-safe.
 */
final class DynamoDbConsentStore implements ConsentStore {

  private static final String PREFIX = "consent#";

  private final Table table;
  private final Clock clock;
  private final AtomicLong lastWrite = new AtomicLong();

  DynamoDbConsentStore(Table table, Clock clock) {
    this.table = table;
    this.clock = clock;
  }

  @Override
  public void record(ConsentRecord r) {
    Objects.requireNonNull(r, "record == null");
    String sk = Table.sortable(r.at()) + "#" + Table.part(r.scope()) + "#" + r.purpose() + "#"
        + (r.granted() ? "g" : "w") + "#" + r.method();
    Map<String, AttributeValue> item = new HashMap<>(Table.key(PREFIX + r.customer().e164(), sk));
    item.put("scope", s(r.scope()));
    item.put("purpose", s(r.purpose().name()));
    item.put("granted", AttributeValue.fromBool(r.granted()));
    item.put("method", s(r.method().name()));
    Table.putIfNotNull(item, "proof", r.proofReference());
    item.put("at", n(Table.nanos(r.at())));
    long now = Table.nanos(clock.instant());
    item.put("w", n(lastWrite.updateAndGet(last -> Math.max(now, last + 1))));
    try {
      table.call("consent record", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
          .item(item).conditionExpression("attribute_not_exists(pk)").build()));
    } catch (ConditionalCheckFailedException writtenBefore) {
      // the same record, written before: it keeps its place in the write order
    }
  }

  @Override
  public Optional<ConsentRecord> latest(PhoneNumber customer, String scope, Purpose purpose) {
    Objects.requireNonNull(scope, "scope == null");
    Objects.requireNonNull(purpose, "purpose == null");
    List<Map<String, AttributeValue>> items = items(customer);
    return items.stream().filter(i -> scope.equals(Table.string(i, "scope"))
        && purpose.name().equals(Table.string(i, "purpose"))).reduce((a, b) -> b).map(i -> read(customer, i));
  }

  @Override
  public List<ConsentRecord> history(PhoneNumber customer) {
    return items(customer).stream().map(i -> read(customer, i)).toList();
  }

  /** The customer's items ordered by time, then write order. */
  private List<Map<String, AttributeValue>> items(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    return table.call("consent read", () -> table.client.queryPaginator(QueryRequest.builder().tableName(table.name)
        .consistentRead(true).keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", s(PREFIX + customer.e164()))).build()).items().stream()
        .sorted(Comparator.comparingLong((Map<String, AttributeValue> i) -> Table.number(i, "at"))
            .thenComparingLong(i -> Table.number(i, "w")))
        .toList());
  }

  private static ConsentRecord read(PhoneNumber customer, Map<String, AttributeValue> i) {
    return new ConsentRecord(customer, Table.string(i, "scope"), Purpose.valueOf(Table.string(i, "purpose")),
        i.get("granted").bool(), ConsentMethod.valueOf(Table.string(i, "method")), Table.string(i, "proof"),
        Table.instant(i, "at"));
  }
}
