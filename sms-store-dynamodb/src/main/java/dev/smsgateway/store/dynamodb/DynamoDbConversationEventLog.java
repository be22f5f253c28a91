package dev.smsgateway.store.dynamodb;

import dev.smsgateway.SmsTransportException;
import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEventLog;
import dev.smsgateway.events.EventCursor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The event log in its own DynamoDB table (string {@code pk}, number {@code sk}): per stream, a head item at
 * {@code sk = 0} holding {@code last} (the last position) and {@code delivered} (the cursor), and one item per event at
 * {@code sk = position}, all under {@code pk = "stream#" + stream}; its delivery ({@link EventCursor}: the position
 * delivered last, the claim being delivered and its lease) is the item at {@code sk = -1}, apart from the head so that
 * acknowledgements do not collide with appends' transactions. An append is one transaction that moves
 * {@code last} from n to n+1 (conditioned on n) and puts event n+1, so positions are gap-free and a lost race is
 * retried; claims and acknowledgements are conditional updates of the cursor item. Event items carry {@code ttl} (their time plus the retention,
 * epoch seconds), which DynamoDB's TTL deletes some time later; reads skip expired items meanwhile.
 */
final class DynamoDbConversationEventLog implements ConversationEventLog {

  static final String PK = "pk";
  static final String SK = "sk";
  static final String PREFIX = "stream#";
  /** The sort key of a stream's cursor item (reads of events ask for {@code sk > position >= 0}, never this). */
  static final long CURSOR_SK = -1;
  private static final int MAX_ATTEMPTS = 200;

  private final DynamoDbClient client;
  private final String tableName;
  private final Duration retention;
  private final java.time.Clock clock;
  private final Table table;

  DynamoDbConversationEventLog(DynamoDbClient client, String tableName, Duration retention, java.time.Clock clock) {
    this.client = client;
    this.table = new Table(client, tableName);
    this.tableName = tableName;
    this.retention = retention;
    this.clock = clock;
  }

  private static Map<String, AttributeValue> key(String stream, long sk) {
    Map<String, AttributeValue> key = new HashMap<>(4);
    key.put(PK, AttributeValue.fromS(PREFIX + stream));
    key.put(SK, AttributeValue.fromN(Long.toString(sk)));
    return key;
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static long nanos(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
  }

  private Map<String, AttributeValue> head(String stream) {
    Map<String, AttributeValue> item = call("reading an event stream", () -> client.getItem(GetItemRequest.builder()
        .tableName(tableName).key(key(stream, 0)).consistentRead(true).build())).item();
    return item == null || item.isEmpty() ? null : item;
  }

  @Override
  public ConversationEvent append(ConversationEvent event) {
    Objects.requireNonNull(event, "event == null");
    if (event.position() != 0) {
      throw new IllegalArgumentException("event is already published at position " + event.position());
    }
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> head = head(event.stream());
      long last = head == null ? 0 : Long.parseLong(head.get("last").n());
      ConversationEvent stored = event.withPosition(last + 1);
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":next", n(last + 1));
      values.put(":zero", n(0));
      String condition;
      if (head == null) {
        condition = "attribute_not_exists(" + PK + ")";
      } else {
        condition = "#last = :last";
        values.put(":last", n(last));
      }
      Update moveHead = Update.builder().tableName(tableName).key(key(event.stream(), 0))
          .updateExpression("SET #last = :next, delivered = if_not_exists(delivered, :zero)")
          .conditionExpression(condition).expressionAttributeNames(Map.of("#last", "last"))
          .expressionAttributeValues(values).build();
      Put putEvent = Put.builder().tableName(tableName).item(item(stored))
          .conditionExpression("attribute_not_exists(" + PK + ")").build();
      try {
        call("appending an event", () -> client.transactWriteItems(TransactWriteItemsRequest.builder()
            .transactItems(TransactWriteItem.builder().update(moveHead).build(),
                TransactWriteItem.builder().put(putEvent).build()).build()));
        return stored;
      } catch (TransactionCanceledException lost) {
        // Another instance appended first (a failed condition: read the new head at once) or both transactions
        // collided (TransactionConflict: back off a little, randomly, so that they stop colliding).
        boolean conditionFailed = lost.hasCancellationReasons() && lost.cancellationReasons().stream()
            .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
        if (!conditionFailed) {
          backoff(attempt);
        }
      }
    }
    throw new SmsTransportException("DynamoDB events: appending to a stream still conflicted after " + MAX_ATTEMPTS
        + " attempts", null, "TransactionConflict", true, null);
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2 + Math.min(attempt, 20)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmsTransportException("interrupted while appending an event", null, null, true, e);
    }
  }

  private Map<String, AttributeValue> item(ConversationEvent e) {
    Map<String, AttributeValue> item = key(e.stream(), e.position());
    item.put("type", AttributeValue.fromS(e.type().name()));
    item.put("conv", AttributeValue.fromS(e.conversationId()));
    if (e.messageId() != null) {
      item.put("msg", AttributeValue.fromS(e.messageId()));
    }
    if (e.detail() != null) {
      item.put("detail", AttributeValue.fromS(e.detail()));
    }
    item.put("at", n(nanos(e.at())));
    item.put(Table.TTL, n(e.at().plus(retention).getEpochSecond()));
    return item;
  }

  private static ConversationEvent event(Map<String, AttributeValue> item) {
    long at = Long.parseLong(item.get("at").n());
    return new ConversationEvent(item.get(PK).s().substring(PREFIX.length()), Long.parseLong(item.get(SK).n()),
        ConversationEvent.Type.valueOf(item.get("type").s()), item.get("conv").s(),
        item.containsKey("msg") ? item.get("msg").s() : null,
        item.containsKey("detail") ? item.get("detail").s() : null,
        Instant.ofEpochSecond(Math.floorDiv(at, 1_000_000_000L), Math.floorMod(at, 1_000_000_000L)));
  }

  @Override
  public List<ConversationEvent> readAfter(String stream, long afterPosition, int limit) {
    Objects.requireNonNull(stream, "stream == null");
    long now = clock.instant().getEpochSecond();
    List<ConversationEvent> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = call("reading events", () -> client.query(QueryRequest.builder().tableName(tableName)
          .keyConditionExpression(PK + " = :pk AND " + SK + " > :after")
          .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PREFIX + stream),
              ":after", n(Math.max(0, afterPosition))))
          .consistentRead(true).limit(limit).exclusiveStartKey(from).build()));
      for (Map<String, AttributeValue> item : page.items()) {
        // DynamoDB's TTL deletes only eventually: an item past its ttl is gone as far as readers are concerned
        if (Long.parseLong(item.get(Table.TTL).n()) > now) {
          out.add(event(item));
          if (out.size() == limit) {
            return out;
          }
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  @Override
  public EventCursor cursor(String stream) {
    Objects.requireNonNull(stream, "stream == null");
    Map<String, AttributeValue> item = call("reading an event cursor", () -> client.getItem(GetItemRequest.builder()
        .tableName(tableName).key(key(stream, CURSOR_SK)).consistentRead(true).build())).item();
    if (item == null || item.isEmpty()) {
      // Never claimed since cursors moved to their own item: the head's cursor of earlier releases, if any, holds.
      Map<String, AttributeValue> head = head(stream);
      return head == null || !head.containsKey("delivered") ? EventCursor.NONE
          : new EventCursor(Long.parseLong(head.get("delivered").n()), null, 0, null);
    }
    String owner = item.containsKey("owner") ? item.get("owner").s() : null;
    return new EventCursor(Long.parseLong(item.get("delivered").n()), owner,
        owner == null ? 0 : Long.parseLong(item.get("claimed").n()),
        owner == null ? null : instant(Long.parseLong(item.get("lease").n())));
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  @Override
  public boolean claim(String stream, long delivered, long through, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(stream, "stream == null");
    Objects.requireNonNull(owner, "owner == null");
    if (through <= delivered) {
      return false;
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":owner", AttributeValue.fromS(owner));
    values.put(":through", n(through));
    values.put(":lease", n(nanos(leaseUntil)));
    values.put(":delivered", n(delivered));
    values.put(":now", n(nanos(now)));
    // A stream's first claim creates its cursor item (from the position cursor() read); later ones find it.
    String condition = "(attribute_not_exists(delivered) OR delivered = :delivered)"
        + " AND (attribute_not_exists(#owner) OR #owner = :owner OR lease <= :now)";
    try {
      call("claiming events", () -> client.updateItem(UpdateItemRequest.builder().tableName(tableName)
          .key(key(stream, CURSOR_SK))
          .updateExpression("SET delivered = :delivered, #owner = :owner, claimed = :through, lease = :lease")
          .conditionExpression(condition).expressionAttributeNames(Map.of("#owner", "owner"))
          .expressionAttributeValues(values).build()));
      return true;
    } catch (ConditionalCheckFailedException lost) {
      return false;
    }
  }

  @Override
  public boolean acknowledge(String stream, String owner, long delivered, Instant leaseUntil) {
    Objects.requireNonNull(stream, "stream == null");
    Objects.requireNonNull(owner, "owner == null");
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":owner", AttributeValue.fromS(owner));
    values.put(":delivered", n(delivered));
    try {
      // The claim's last position: the claim ends. Otherwise: the delivered position moves and the lease renews.
      call("acknowledging events", () -> client.updateItem(UpdateItemRequest.builder().tableName(tableName)
          .key(key(stream, CURSOR_SK)).updateExpression("SET delivered = :delivered REMOVE #owner, claimed, lease")
          .conditionExpression("#owner = :owner AND claimed <= :delivered")
          .expressionAttributeNames(Map.of("#owner", "owner")).expressionAttributeValues(values).build()));
      return true;
    } catch (ConditionalCheckFailedException notTheLast) {
      values.put(":lease", n(nanos(leaseUntil)));
      try {
        call("acknowledging events", () -> client.updateItem(UpdateItemRequest.builder().tableName(tableName)
            .key(key(stream, CURSOR_SK)).updateExpression("SET delivered = :delivered, lease = :lease")
            .conditionExpression("#owner = :owner AND claimed > :delivered AND delivered <= :delivered")
            .expressionAttributeNames(Map.of("#owner", "owner")).expressionAttributeValues(values).build()));
        return true;
      } catch (ConditionalCheckFailedException notOurs) {
        return false;
      }
    }
  }

  /**
   * Deletes events before {@code cutoff} now, with a scan of the table (heads stay): for tests and for tables without
   * TTL; with TTL enabled DynamoDB deletes them itself after the retention.
   */
  @Override
  public int purgeBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    int purged = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = call("purging events", () -> client.scan(ScanRequest.builder().tableName(tableName)
          .filterExpression(SK + " > :zero AND #at < :cutoff").expressionAttributeNames(Map.of("#at", "at"))
          .expressionAttributeValues(Map.of(":zero", n(0), ":cutoff", n(nanos(cutoff))))
          .projectionExpression(PK + ", " + SK).exclusiveStartKey(from).build()));
      for (Map<String, AttributeValue> item : page.items()) {
        call("purging an event", () -> client.deleteItem(DeleteItemRequest.builder().tableName(tableName)
            .key(item).build()));
        purged++;
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return purged;
  }

  private <T> T call(String operation, java.util.function.Supplier<T> call) {
    return table.call(operation, call);
  }

  @Override
  public String toString() {
    return "DynamoDbConversationEventLog{table=" + tableName + "}";
  }
}
