package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ProviderLink;
import dev.smsgateway.store.ReportMerge;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link MessageStore} on DynamoDB. Idempotency claims and seen marks are conditional puts
 * ({@code attribute_not_exists(pk) OR expires <= :now}): exactly one writer wins, also across gateways, and an
 * expired claim can be taken over before DynamoDB's TTL deleted it. Delivery reports merge by optimistic concurrency
 * on a version attribute. Parked reports share a partition per provider id and are taken by deletes that return the
 * old item, so each goes to one taker. Counters are added to by one {@code UpdateItem} with an atomic {@code ADD},
 * conditional on the counter being live; an expired counter is replaced by a put conditional on its expiry.
 *
 * <p>Thread-safe.
 */
final class DynamoDbMessageStore implements MessageStore {

  private static final String IDEM = "idem#";
  private static final String SEEN = "seen#";
  private static final String MSG = "msg#";
  private static final String LINK = "link#";
  private static final String PARK = "park#";
  private static final String COUNTER = "count#";
  private static final int MAX_ATTEMPTS = 1000;

  private final Table table;
  private final Clock clock;

  DynamoDbMessageStore(Table table, Clock clock) {
    this.table = table;
    this.clock = clock;
  }

  @Override
  public Optional<String> claimIdempotencyKey(String key, String messageId, Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    Instant now = clock.instant();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> item = new HashMap<>(Table.key(IDEM + key, "idem"));
      item.put("mid", s(messageId));
      item.put("expires", n(Table.nanos(expiresAt)));
      item.put(Table.TTL, Table.ttl(expiresAt));
      if (putIfAbsentOrExpired("idempotency claim", item, now)) {
        return Optional.empty();
      }
      Map<String, AttributeValue> holder = table.get("idempotency claim", IDEM + key, "idem");
      if (holder != null && Table.number(holder, "expires") > Table.nanos(now)) {
        String holderId = Table.string(holder, "mid");
        return holderId.equals(messageId) ? Optional.empty() : Optional.of(holderId);
      }
      // The holder was deleted or expired between our two calls: try again.
    }
    throw new SmsTransportException("DynamoDB store: idempotency claim kept conflicting", null, null, false, null);
  }

  private boolean putIfAbsentOrExpired(String operation, Map<String, AttributeValue> item, Instant now) {
    try {
      table.call(operation, () -> table.client.putItem(PutItemRequest.builder().tableName(table.name).item(item)
          .conditionExpression("attribute_not_exists(pk) OR expires <= :now")
          .expressionAttributeValues(Map.of(":now", n(Table.nanos(now)))).build()));
      return true;
    } catch (ConditionalCheckFailedException held) {
      return false;
    }
  }

  @Override
  public void save(MessageRecord record) {
    Objects.requireNonNull(record, "record == null");
    // One update that sets every field and adds 1 to the version: creates or replaces, and a concurrent report merge
    // (conditional on the version) then retries on top of it.
    Map<String, AttributeValue> fields = messageItem(record, 1);
    fields.remove(Table.PK);
    fields.remove(Table.SK);
    fields.remove("ver");
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> sets = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    for (String attribute : List.of("provider", "to", "from", "parts", "status", "partStatuses", "err", "created",
        "updated")) {
      names.put("#" + attribute, attribute);
      AttributeValue value = fields.get(attribute);
      if (value == null) {
        removes.add("#" + attribute);
      } else {
        sets.add("#" + attribute + " = :" + attribute);
        values.put(":" + attribute, value);
      }
    }
    values.put(":one", n(1));
    String expression = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE "
        + String.join(", ", removes)) + " ADD ver :one";
    table.call("message save", () -> table.client.updateItem(UpdateItemRequest.builder().tableName(table.name)
        .key(Table.key(MSG + record.messageId(), "msg")).updateExpression(expression)
        .expressionAttributeNames(names).expressionAttributeValues(values).build()));
  }

  private static Map<String, AttributeValue> messageItem(MessageRecord r, long version) {
    Map<String, AttributeValue> item = new HashMap<>(Table.key(MSG + r.messageId(), "msg"));
    Table.putIfNotNull(item, "provider", r.provider());
    item.put("to", s(r.to().e164()));
    Table.putIfNotNull(item, "from", Table.originatorRef(r.from()));
    item.put("parts", n(r.parts()));
    item.put("status", s(r.status().name()));
    item.put("partStatuses", s(r.partStatuses().stream().map(Enum::name).collect(Collectors.joining(","))));
    Table.putIfNotNull(item, "err", r.errorCode());
    item.put("created", n(Table.nanos(r.createdAt())));
    item.put("updated", n(Table.nanos(r.updatedAt())));
    item.put("ver", n(version));
    return item;
  }

  private static MessageRecord readMessage(Map<String, AttributeValue> item) {
    List<DeliveryStatus> parts = Arrays.stream(Table.string(item, "partStatuses").split(","))
        .map(DeliveryStatus::valueOf).toList();
    return new MessageRecord(Table.string(item, "pk").substring(MSG.length()), Table.string(item, "provider"),
        PhoneNumber.of(Table.string(item, "to")), Table.originator(Table.string(item, "from")),
        (int) Table.number(item, "parts"), DeliveryStatus.valueOf(Table.string(item, "status")), parts,
        Table.string(item, "err"), Table.instant(item, "created"), Table.instant(item, "updated"));
  }

  @Override
  public Optional<MessageRecord> find(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return Optional.ofNullable(table.get("message find", MSG + messageId, "msg")).map(DynamoDbMessageStore::readMessage);
  }

  static String linkKey(String provider, String providerMessageId) {
    return Table.part(provider) + "#" + providerMessageId;
  }

  @Override
  public void linkProviderIds(String messageId, String provider, List<String> providerMessageIds) {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageIds, "providerMessageIds == null");
    List<String> ids = List.copyOf(providerMessageIds);
    for (int i = 0; i < ids.size(); i++) {
      Map<String, AttributeValue> item = new HashMap<>(Table.key(LINK + linkKey(provider, ids.get(i)), "link"));
      item.put("mid", s(messageId));
      item.put("part", n(i));
      table.call("provider link", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
          .item(item).build()));
    }
  }

  @Override
  public Optional<ProviderLink> findLink(String provider, String providerMessageId) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageId, "providerMessageId == null");
    Map<String, AttributeValue> item = table.get("provider link find", LINK + linkKey(provider, providerMessageId),
        "link");
    return item == null ? Optional.empty()
        : Optional.of(new ProviderLink(Table.string(item, "mid"), (int) Table.number(item, "part")));
  }

  @Override
  public Optional<MessageRecord> applyReport(String messageId, int part, DeliveryStatus status, String errorCode,
      Instant at) {
    return mergeReport(messageId, part, status, errorCode, at).map(ReportMerge::record);
  }

  /**
   * One read and a put conditional on the version read (again when another writer came first): whether the report
   * changed the record is decided by the write that stored it, so of concurrent duplicates exactly one answers
   * changed (the default's read before the merge would let several).
   */
  @Override
  public Optional<ReportMerge> mergeReport(String messageId, int part, DeliveryStatus status, String errorCode,
      Instant at) {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(at, "at == null");
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> item = table.get("delivery report merge", MSG + messageId, "msg");
      if (item == null) {
        return Optional.empty();
      }
      MessageRecord before = readMessage(item);
      MessageRecord after = before.merge(part, status, errorCode, at);
      if (after == before) {
        return Optional.of(new ReportMerge(before, false));
      }
      long version = Table.number(item, "ver");
      try {
        table.call("delivery report merge", () -> table.client.putItem(PutItemRequest.builder()
            .tableName(table.name).item(messageItem(after, version + 1)).conditionExpression("ver = :v")
            .expressionAttributeValues(Map.of(":v", n(version))).build()));
        return Optional.of(new ReportMerge(after, !after.equals(before)));
      } catch (ConditionalCheckFailedException lost) {
        // Another writer merged first: merge again on top of its result.
      }
    }
    throw new SmsTransportException("DynamoDB store: delivery report merge kept conflicting", null, null, false, null);
  }

  @Override
  public void park(DeliveryReport report, Instant expiresAt) {
    Objects.requireNonNull(report, "report == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    String pid = report.providerMessageId() == null ? "" : report.providerMessageId();
    // Sorted by when the report happened, then unique: takeParked returns the oldest first.
    String sk = Table.sortable(report.occurredAt()) + "#" + UUID.randomUUID();
    Map<String, AttributeValue> item = new HashMap<>(Table.key(PARK + linkKey(report.provider(), pid), sk));
    item.put("provider", s(report.provider()));
    Table.putIfNotNull(item, "pid", report.providerMessageId());
    Table.putIfNotNull(item, "mid", report.messageId().orElse(null));
    item.put("status", s(report.status().name()));
    Table.putIfNotNull(item, "raw", report.rawStatus());
    Table.putIfNotNull(item, "err", report.errorCode().orElse(null));
    item.put("occurred", n(Table.nanos(report.occurredAt())));
    item.put("part", n(report.part()));
    item.put("expires", n(Table.nanos(expiresAt)));
    item.put(Table.TTL, Table.ttl(expiresAt));
    table.call("delivery report park", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
        .item(item).build()));
  }

  @Override
  public List<DeliveryReport> takeParked(String provider, String providerMessageId) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageId, "providerMessageId == null");
    String pk = PARK + linkKey(provider, providerMessageId);
    List<Map<String, AttributeValue>> items = table.call("delivery report take", () -> table.client.queryPaginator(
        QueryRequest.builder().tableName(table.name).consistentRead(true).keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", s(pk))).build()).items().stream().toList());
    long now = Table.nanos(clock.instant());
    List<DeliveryReport> taken = new ArrayList<>();
    for (Map<String, AttributeValue> item : items) {
      // Only the taker whose delete removed the item gets the report; an expired one is dropped. The delete is
      // conditional on the item being there: an unconditional one may hand the old item to two concurrent deleters
      // (DynamoDB Local does), the condition lets exactly one of them through.
      Map<String, AttributeValue> old;
      try {
        old = table.call("delivery report take", () -> table.client.deleteItem(DeleteItemRequest.builder()
            .tableName(table.name).key(Table.key(pk, Table.string(item, Table.SK)))
            .conditionExpression("attribute_exists(pk)").returnValues(ReturnValue.ALL_OLD).build())).attributes();
      } catch (ConditionalCheckFailedException takenByAnother) {
        continue;
      }
      if (old != null && !old.isEmpty() && Table.number(old, "expires") > now) {
        taken.add(DeliveryReport.builder().provider(Table.string(old, "provider"))
            .providerMessageId(Table.string(old, "pid")).messageId(Table.string(old, "mid"))
            .status(DeliveryStatus.valueOf(Table.string(old, "status"))).rawStatus(Table.string(old, "raw"))
            .errorCode(Table.string(old, "err")).occurredAt(Table.instant(old, "occurred"))
            .part((int) Table.number(old, "part")).build());
      }
    }
    return taken;
  }

  @Override
  public boolean markSeen(String key, Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    Map<String, AttributeValue> item = new HashMap<>(Table.key(SEEN + key, "seen"));
    item.put("expires", n(Table.nanos(expiresAt)));
    item.put(Table.TTL, Table.ttl(expiresAt));
    return putIfAbsentOrExpired("seen mark", item, clock.instant());
  }

  @Override
  public void unmarkSeen(String key) {
    Objects.requireNonNull(key, "key == null");
    table.call("seen unmark", () -> table.client.deleteItem(DeleteItemRequest.builder().tableName(table.name)
        .key(Table.key(SEEN + key, "seen")).build()));
  }

  @Override
  public long addToCounter(String key, long delta, Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    Instant now = clock.instant();
    Map<String, AttributeValue> values = Map.of(":d", n(delta), ":exp", n(Table.nanos(expiresAt)),
        ":ttl", Table.ttl(expiresAt), ":now", n(Table.nanos(now)));
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        // ADD is atomic on the server: concurrent additions all count. A missing item is created at 0 + delta.
        Map<String, AttributeValue> updated = table.call("counter add", () -> table.client.updateItem(
            UpdateItemRequest.builder().tableName(table.name).key(Table.key(COUNTER + key, "count"))
                .updateExpression("ADD #total :d SET expires = :exp, #ttl = :ttl")
                .conditionExpression("attribute_not_exists(pk) OR expires > :now")
                .expressionAttributeNames(Map.of("#total", "total", "#ttl", Table.TTL))
                .expressionAttributeValues(values).returnValues(ReturnValue.UPDATED_NEW).build())).attributes();
        return Table.number(updated, "total");
      } catch (ConditionalCheckFailedException expired) {
        // Expired (not yet deleted by DynamoDB's TTL): start it again from delta, unless someone else just did.
        Map<String, AttributeValue> item = new HashMap<>(Table.key(COUNTER + key, "count"));
        item.put("total", n(delta));
        item.put("expires", n(Table.nanos(expiresAt)));
        item.put(Table.TTL, Table.ttl(expiresAt));
        try {
          table.call("counter add", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
              .item(item).conditionExpression("expires <= :now")
              .expressionAttributeValues(Map.of(":now", n(Table.nanos(now)))).build()));
          return delta;
        } catch (ConditionalCheckFailedException renewed) {
          // Another writer restarted it first: add to theirs.
        }
      }
    }
    throw new SmsTransportException("DynamoDB store: counter add kept conflicting", null, null, false, null);
  }

  @Override
  public long counter(String key) {
    Objects.requireNonNull(key, "key == null");
    Map<String, AttributeValue> item = table.get("counter read", COUNTER + key, "count");
    return item == null || Table.number(item, "expires") <= Table.nanos(clock.instant()) ? 0
        : Table.number(item, "total");
  }

  @Override
  public int purgeExpired() {
    long now = Table.nanos(clock.instant());
    return Purger.purge(table, IDEM, now) + Purger.purge(table, SEEN, now) + Purger.purge(table, PARK, now)
        + Purger.purge(table, COUNTER, now);
  }
}
