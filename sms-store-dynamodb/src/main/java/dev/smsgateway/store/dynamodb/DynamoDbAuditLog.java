package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.AuditEvent;
import dev.smsgateway.compliance.AuditLog;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link AuditLog} on DynamoDB. Each event is written as up to four copies, one per way it is read, each sorted by
 * the event's sequence: {@code audit#c#<customer>}, {@code audit#v#<conversation>}, {@code audit#m#<message>} and
 * {@code audit#d#<UTC day>}; an {@code auditdays} partition lists the days that have events, for time-range reads
 * and retention. A copy is written with the event's own key, so appending an event again rewrites the same items.
 * A process that dies between copies leaves an event findable by some of its keys only (the day copy is written
 * first, so exports and retention see it).
 *
 * <p>Thread-safe.
 */
final class DynamoDbAuditLog implements AuditLog {

  private static final String DAYS = "auditdays";

  private final Table table;

  DynamoDbAuditLog(Table table) {
    this.table = table;
  }

  private static String day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
  }

  private static List<String> partitions(AuditEvent e) {
    List<String> pks = new ArrayList<>(4);
    pks.add("audit#d#" + day(e.at()));
    if (e.customer() != null) {
      pks.add("audit#c#" + e.customer().e164());
    }
    if (e.conversationId() != null) {
      pks.add("audit#v#" + e.conversationId());
    }
    if (e.messageId() != null) {
      pks.add("audit#m#" + e.messageId());
    }
    return pks;
  }

  private static String sortKey(long sequence) {
    return String.format("%020d", sequence);
  }

  @Override
  public void append(AuditEvent e) {
    Objects.requireNonNull(e, "event == null");
    // The day marker first, then the copies: one BatchWriteItem (at most 5 of its 25 items), its leftovers retried.
    List<WriteRequest> writes = new ArrayList<>(5);
    writes.add(put(Table.key(DAYS, day(e.at()))));
    for (String pk : partitions(e)) {
      Map<String, AttributeValue> item = new HashMap<>(Table.key(pk, sortKey(e.sequence())));
      item.put("seq", n(e.sequence()));
      item.put("at", n(Table.nanos(e.at())));
      item.put("type", s(e.type().name()));
      Table.putIfNotNull(item, "cust", e.customer() == null ? null : e.customer().e164());
      Table.putIfNotNull(item, "biz", e.business());
      Table.putIfNotNull(item, "conv", e.conversationId());
      Table.putIfNotNull(item, "msg", e.messageId());
      item.put("out", s(e.outcome()));
      Table.putIfNotNull(item, "why", e.reason());
      writes.add(put(item));
    }
    Map<String, List<WriteRequest>> pending = Map.of(table.name, writes);
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      Map<String, List<WriteRequest>> request = pending;
      Map<String, List<WriteRequest>> left = table.call("audit append", () -> table.client.batchWriteItem(
          BatchWriteItemRequest.builder().requestItems(request).build())).unprocessedItems();
      pending = left == null ? Map.of() : left;
      if (!pending.isEmpty() && attempt >= 8) {
        throw new dev.smsgateway.SmsTransportException("DynamoDB store: audit append left " + pending.size()
            + " unprocessed writes after " + attempt + " attempts", null, null, false, null);
      }
      if (!pending.isEmpty()) {
        try {
          Thread.sleep(10L << attempt); // DynamoDB's advice for unprocessed items: back off exponentially
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new dev.smsgateway.SmsTransportException("DynamoDB store: audit append interrupted", null, null,
              false, interrupted);
        }
      }
    }
  }

  private static WriteRequest put(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
  }

  @Override
  public List<AuditEvent> forCustomer(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    return partition("audit#c#" + customer.e164());
  }

  @Override
  public List<AuditEvent> forConversation(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return partition("audit#v#" + conversationId);
  }

  @Override
  public List<AuditEvent> forMessage(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return partition("audit#m#" + messageId);
  }

  @Override
  public List<AuditEvent> between(Instant from, Instant to) {
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    List<AuditEvent> out = new ArrayList<>();
    for (String day : days(day(from), day(to))) {
      for (AuditEvent e : partition("audit#d#" + day)) {
        if (!e.at().isBefore(from) && e.at().isBefore(to)) {
          out.add(e);
        }
      }
    }
    out.sort(Comparator.comparingLong(AuditEvent::sequence));
    return out;
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    String lastDay = day(cutoff);
    int purged = 0;
    for (String day : days("0000-01-01", lastDay)) {
      boolean whole = day.compareTo(lastDay) < 0;
      for (AuditEvent e : partition("audit#d#" + day)) {
        if (e.at().isBefore(cutoff)) {
          for (String pk : partitions(e)) {
            table.call("audit purge", () -> table.client.deleteItem(DeleteItemRequest.builder().tableName(table.name)
                .key(Table.key(pk, sortKey(e.sequence()))).build()));
          }
          purged++;
        }
      }
      if (whole) {
        table.call("audit purge day", () -> table.client.deleteItem(DeleteItemRequest.builder()
            .tableName(table.name).key(Table.key(DAYS, day)).build()));
      }
    }
    return purged;
  }

  private List<String> days(String first, String last) {
    return table.call("audit days", () -> table.client.queryPaginator(QueryRequest.builder().tableName(table.name)
        .consistentRead(true).keyConditionExpression("pk = :pk AND sk BETWEEN :a AND :b")
        .expressionAttributeValues(Map.of(":pk", s(DAYS), ":a", s(first), ":b", s(last))).build()).items().stream()
        .map(i -> Table.string(i, Table.SK)).toList());
  }

  private List<AuditEvent> partition(String pk) {
    return table.call("audit read", () -> table.client.queryPaginator(QueryRequest.builder().tableName(table.name)
        .consistentRead(true).keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", s(pk))).build()).items().stream()
        .map(DynamoDbAuditLog::read).toList());
  }

  private static AuditEvent read(Map<String, AttributeValue> i) {
    String customer = Table.string(i, "cust");
    return new AuditEvent(Table.number(i, "seq"), Table.instant(i, "at"), AuditEvent.Type.valueOf(Table.string(i,
        "type")), customer == null ? null : PhoneNumber.of(customer), Table.string(i, "biz"), Table.string(i, "conv"),
        Table.string(i, "msg"), Table.string(i, "out"), Table.string(i, "why"));
  }
}
