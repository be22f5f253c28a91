package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link ConversationStore} on DynamoDB. Each conversation is an item with a version; an open conversation also owns
 * a marker item for its (customer, business number), and the conversation and its marker are written in one
 * transaction with conditions ({@code attribute_not_exists}, {@code ver = :previous}), so at most one conversation
 * per pair is open across every gateway and no update is lost. Open conversations are listed through two global
 * secondary indexes (by target, by last activity), which are eventually consistent: a conversation that ended a
 * moment ago may still be listed, and is filtered out when its item says so.
 *
 * <p>Thread-safe.
 */
final class DynamoDbConversationStore implements ConversationStore {

  private static final String CONV = "conv#";
  private static final String OPEN = "open#";
  private static final String LINE = "line#";
  /** The target-index key of an outbound transcript line: its message id. */
  private static final String MESSAGE = "message#";
  private static final int MAX_ATTEMPTS = 1000;

  private final Table table;

  DynamoDbConversationStore(Table table) {
    this.table = table;
  }

  private static String openPk(PhoneNumber customer, Originator business) {
    return OPEN + customer.e164() + "#" + business.key();
  }

  @Override
  public Conversation openIfAbsent(Conversation candidate) {
    Objects.requireNonNull(candidate, "candidate == null");
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Conversation> open = findOpen(candidate.customer(), candidate.business());
      if (open.isPresent()) {
        return open.get();
      }
      Map<String, AttributeValue> marker = new HashMap<>(Table.key(openPk(candidate.customer(), candidate.business()),
          "open"));
      marker.put("cid", s(candidate.id()));
      try {
        table.call("conversation open", () -> table.client.transactWriteItems(TransactWriteItemsRequest.builder()
            .transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(marker)
                    .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item(candidate))
                    .conditionExpression("attribute_not_exists(pk)").build()).build())
            .build()));
        return candidate;
      } catch (TransactionCanceledException e) {
        if (failed(e, 1) && !failed(e, 0)) {
          throw new IllegalArgumentException("conversation id " + candidate.id() + " is already used");
        }
        // Lost to a concurrent open (or a transaction conflict): read the winner.
      }
    }
    throw new SmsTransportException("DynamoDB store: conversation open kept conflicting", null, null, false, null);
  }

  /** Whether the transaction's item at {@code index} failed its condition. */
  private static boolean failed(TransactionCanceledException e, int index) {
    List<CancellationReason> reasons = e.cancellationReasons();
    return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private static Map<String, AttributeValue> item(Conversation c) {
    Map<String, AttributeValue> item = new HashMap<>(Table.key(CONV + c.id(), "conv"));
    item.put("customer", s(c.customer().e164()));
    item.put("biz", s(Table.originatorRef(c.business())));
    Table.putIfNotNull(item, "mapping", c.mappingCode());
    item.put("state", s(c.state().name()));
    item.put("target", s(c.target().key()));
    item.put("opened", n(Table.nanos(c.openedAt())));
    item.put("last", n(Table.nanos(c.lastActivityAt())));
    if (c.endedAt() != null) {
      item.put("ended", n(Table.nanos(c.endedAt())));
    }
    if (c.endReason() != null) {
      item.put("reason", s(c.endReason().name()));
    }
    item.put("ver", n(c.version()));
    if (c.isOpen()) {
      // Index keys only while open, so the indexes hold open conversations only (sparse indexes).
      item.put(Table.GSI_TARGET_PK, s("target#" + c.target().key()));
      item.put(Table.GSI_TARGET_SK, s(Table.sortable(c.openedAt()) + "#" + c.id()));
      item.put(Table.GSI_IDLE_PK, s("open"));
      item.put(Table.GSI_IDLE_SK, s(Table.sortable(c.lastActivityAt()) + "#" + c.id()));
    }
    return item;
  }

  private static Conversation read(Map<String, AttributeValue> item) {
    String reason = Table.string(item, "reason");
    return new Conversation(Table.string(item, "pk").substring(CONV.length()),
        PhoneNumber.of(Table.string(item, "customer")), Table.originator(Table.string(item, "biz")),
        Table.string(item, "mapping"), Conversation.State.valueOf(Table.string(item, "state")),
        RouteTarget.fromKey(Table.string(item, "target")), Table.instant(item, "opened"),
        Table.instant(item, "last"), Table.instant(item, "ended"),
        reason == null ? null : Conversation.EndReason.valueOf(reason), Table.number(item, "ver"));
  }

  @Override
  public boolean update(Conversation updated) {
    Objects.requireNonNull(updated, "updated == null");
    Optional<Conversation> stored = find(updated.id());
    if (!replaces(stored, updated)) {
      return false;
    }
    List<TransactWriteItem> writes = writes(stored.get(), updated);
    try {
      if (writes.size() == 1) {
        Put put = writes.get(0).put();
        table.call("conversation update", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
            .item(put.item()).conditionExpression(put.conditionExpression())
            .expressionAttributeValues(put.expressionAttributeValues()).build()));
      } else {
        table.call("conversation update", () -> table.client.transactWriteItems(TransactWriteItemsRequest.builder()
            .transactItems(writes).build()));
      }
      return true;
    } catch (ConditionalCheckFailedException | TransactionCanceledException lost) {
      return false;
    }
  }

  /**
   * The conversation's put and its line's in one transaction (with the marker's write when the update opens or ends
   * it): both or neither. The line's number is taken from the conversation's counter first; a transaction that loses
   * leaves that number unused, and the transcript still reads in the order lines were appended.
   */
  @Override
  public boolean updateAndAppend(Conversation updated, TranscriptEntry line) {
    ConversationStore.checkLine(updated, line);
    Optional<Conversation> stored = find(updated.id());
    if (!replaces(stored, updated)) {
      return false;
    }
    List<TransactWriteItem> writes = new ArrayList<>(writes(stored.get(), updated));
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name)
        .item(lineItem(line, nextLine(line.conversationId()))).build()).build());
    try {
      table.call("conversation update and append", () -> table.client.transactWriteItems(
          TransactWriteItemsRequest.builder().transactItems(writes).build()));
      return true;
    } catch (ConditionalCheckFailedException | TransactionCanceledException lost) {
      return false;
    }
  }

  /** Whether {@code updated} is the next version of {@code stored}, of the same customer and business number. */
  private static boolean replaces(Optional<Conversation> stored, Conversation updated) {
    return stored.isPresent() && stored.get().version() == updated.version() - 1
        && stored.get().customer().equals(updated.customer())
        && stored.get().business().key().equals(updated.business().key());
  }

  /**
   * The writes that replace {@code stored} with {@code updated}: the conversation's put, conditional on the stored
   * version, and, when the update ends or re-opens it, the marker's delete or conditional put.
   */
  private List<TransactWriteItem> writes(Conversation stored, Conversation updated) {
    Map<String, AttributeValue> previous = Map.of(":v", n(updated.version() - 1));
    TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item(updated))
        .conditionExpression("ver = :v").expressionAttributeValues(previous).build()).build();
    String markerPk = openPk(updated.customer(), updated.business());
    if (stored.isOpen() == updated.isOpen()) {
      return List.of(put);
    }
    if (stored.isOpen()) {
      // Ending: the marker goes with it, so a new conversation can open for the pair.
      return List.of(put, TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
          .key(Table.key(markerPk, "open")).conditionExpression("cid = :cid")
          .expressionAttributeValues(Map.of(":cid", s(updated.id()))).build()).build());
    }
    // Re-opening: only while no other conversation is open for the pair.
    Map<String, AttributeValue> marker = new HashMap<>(Table.key(markerPk, "open"));
    marker.put("cid", s(updated.id()));
    return List.of(put, TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(marker)
        .conditionExpression("attribute_not_exists(pk)").build()).build());
  }

  @Override
  public Optional<Conversation> find(String id) {
    Objects.requireNonNull(id, "id == null");
    return Optional.ofNullable(table.get("conversation find", CONV + id, "conv"))
        .map(DynamoDbConversationStore::read);
  }

  @Override
  public Optional<Conversation> findOpen(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Map<String, AttributeValue> marker = table.get("conversation find open", openPk(customer, business), "open");
    if (marker == null) {
      return Optional.empty();
    }
    return find(Table.string(marker, "cid")).filter(Conversation::isOpen);
  }

  @Override
  public List<Conversation> findOpenByTarget(RouteTarget target) {
    Objects.requireNonNull(target, "target == null");
    return query(QueryRequest.builder().tableName(table.name).indexName(Table.GSI_TARGET)
        .keyConditionExpression(Table.GSI_TARGET_PK + " = :t")
        .expressionAttributeValues(Map.of(":t", s("target#" + target.key()))).build(), Integer.MAX_VALUE)
        .stream().filter(c -> c.target().equals(target)).toList();
  }

  @Override
  public List<Conversation> findIdle(Instant cutoff, int limit) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    if (limit <= 0) {
      return List.of();
    }
    return query(QueryRequest.builder().tableName(table.name).indexName(Table.GSI_IDLE)
        .keyConditionExpression(Table.GSI_IDLE_PK + " = :open AND " + Table.GSI_IDLE_SK + " < :cutoff")
        .expressionAttributeValues(Map.of(":open", s("open"), ":cutoff", s(Table.sortable(cutoff)))).build(), limit)
        .stream().filter(c -> c.lastActivityAt().isBefore(cutoff)).toList();
  }

  private List<Conversation> query(QueryRequest request, int limit) {
    return table.call("conversation query", () -> table.client.queryPaginator(request).items().stream()
        .map(DynamoDbConversationStore::read).filter(Conversation::isOpen).limit(limit).toList());
  }

  @Override
  public void append(TranscriptEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    Map<String, AttributeValue> item = lineItem(entry, nextLine(entry.conversationId()));
    table.call("transcript append", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
        .item(item).build()));
  }

  /** The next line number of a conversation: a counter per conversation, so lines read back in the order appended. */
  private long nextLine(String conversationId) {
    return Long.parseLong(table.call("transcript append", () -> table.client.updateItem(UpdateItemRequest.builder()
        .tableName(table.name).key(Table.key(CONV + conversationId, "lineseq")).updateExpression("ADD n :one")
        .expressionAttributeValues(Map.of(":one", n(1))).returnValues(ReturnValue.UPDATED_NEW).build()))
        .attributes().get("n").n());
  }

  /** The item of line number {@code seq} of its conversation. */
  private static Map<String, AttributeValue> lineItem(TranscriptEntry entry, long seq) {
    Map<String, AttributeValue> item = new HashMap<>(Table.key(CONV + entry.conversationId(),
        LINE + String.format("%019d", seq)));
    item.put("at", n(Table.nanos(entry.at())));
    item.put("dir", s(entry.direction().name()));
    Table.putIfNotNull(item, "author", entry.author());
    item.put("body", s(entry.text()));
    Table.putIfNotNull(item, "mid", entry.messageId());
    if (entry.direction() == TranscriptEntry.Direction.OUTBOUND && entry.messageId() != null) {
      // Listed in the target index under the message: findConversationOfMessage
      item.put(Table.GSI_TARGET_PK, s(MESSAGE + entry.messageId()));
      item.put(Table.GSI_TARGET_SK, s(String.format("%019d", seq)));
    }
    return item;
  }

  @Override
  public Optional<String> findConversationOfMessage(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    List<Map<String, AttributeValue>> lines = table.call("conversation of a message", () -> table.client.query(
        QueryRequest.builder().tableName(table.name).indexName(Table.GSI_TARGET)
            .keyConditionExpression(Table.GSI_TARGET_PK + " = :m")
            .expressionAttributeValues(Map.of(":m", s(MESSAGE + messageId))).scanIndexForward(false).limit(1)
            .build()).items());
    return lines.isEmpty() ? Optional.empty()
        : Optional.of(Table.string(lines.get(0), "pk").substring(CONV.length()));
  }

  @Override
  public List<TranscriptEntry> transcript(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    List<TranscriptEntry> entries = new ArrayList<>();
    List<Map<String, AttributeValue>> items = table.call("transcript read", () -> table.client.queryPaginator(
        QueryRequest.builder().tableName(table.name).consistentRead(true)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :line)")
            .expressionAttributeValues(Map.of(":pk", s(CONV + conversationId), ":line", s(LINE))).build())
        .items().stream().toList());
    for (Map<String, AttributeValue> item : items) {
      entries.add(new TranscriptEntry(conversationId, Table.instant(item, "at"),
          TranscriptEntry.Direction.valueOf(Table.string(item, "dir")), Table.string(item, "author"),
          Table.string(item, "body"), Table.string(item, "mid")));
    }
    return entries;
  }

  // ---------------------------------------------------------------------------------------------------- chat links
  // A link is the item (chat#<conversation id>, chat) with a version; its contact owns a marker item
  // (chatcontact#<contact id>, chat) written in the same transaction, which keeps a contact on one conversation.

  private static final String CHAT = "chat#";
  private static final String CHAT_CONTACT = "chatcontact#";

  @Override
  public boolean putChatLink(ChatLink link) {
    Objects.requireNonNull(link, "link == null");
    Map<String, AttributeValue> item = new HashMap<>(Table.key(CHAT + link.conversationId(), "chat"));
    item.put("contact", s(link.contactId()));
    Table.putIfNotNull(item, "participant", link.participantId());
    Table.putIfNotNull(item, "ptoken", link.participantToken());
    Table.putIfNotNull(item, "ctoken", link.connectionToken());
    if (link.connectionExpiresAt() != null) {
      item.put("cexp", n(Table.nanos(link.connectionExpiresAt())));
    }
    Table.putIfNotNull(item, "cursor", link.cursor());
    item.put("isopen", AttributeValue.fromBool(link.open()));
    item.put("updated", n(Table.nanos(link.updatedAt())));
    item.put("ver", n(link.version()));
    if (link.version() > 1) {
      try {
        table.call("chat link update", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name)
            .item(item).conditionExpression("ver = :v AND contact = :c")
            .expressionAttributeValues(Map.of(":v", n(link.version() - 1), ":c", s(link.contactId()))).build()));
        return true;
      } catch (ConditionalCheckFailedException lost) {
        return false;
      }
    }
    Map<String, AttributeValue> marker = new HashMap<>(Table.key(CHAT_CONTACT + link.contactId(), "chat"));
    marker.put("cid", s(link.conversationId()));
    try {
      table.call("chat link put", () -> table.client.transactWriteItems(TransactWriteItemsRequest.builder()
          .transactItems(
              TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(item)
                  .conditionExpression("attribute_not_exists(pk)").build()).build(),
              TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(marker)
                  .conditionExpression("attribute_not_exists(pk)").build()).build())
          .build()));
      return true;
    } catch (TransactionCanceledException e) {
      if (failed(e, 0)) {
        return false;
      }
      if (failed(e, 1)) {
        throw new IllegalArgumentException("contact " + link.contactId() + " is linked to another conversation");
      }
      return false;
    }
  }

  @Override
  public Optional<ChatLink> findChatLink(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return Optional.ofNullable(table.get("chat link find", CHAT + conversationId, "chat"))
        .map(DynamoDbConversationStore::readLink);
  }

  @Override
  public Optional<ChatLink> findChatLinkByContact(String contactId) {
    Objects.requireNonNull(contactId, "contactId == null");
    Map<String, AttributeValue> marker = table.get("chat link find", CHAT_CONTACT + contactId, "chat");
    return marker == null ? Optional.empty() : findChatLink(Table.string(marker, "cid"));
  }

  private static ChatLink readLink(Map<String, AttributeValue> item) {
    return new ChatLink(Table.string(item, "pk").substring(CHAT.length()), Table.string(item, "contact"),
        Table.string(item, "participant"), Table.string(item, "ptoken"), Table.string(item, "ctoken"),
        Table.instant(item, "cexp"), Table.string(item, "cursor"), item.get("isopen").bool(),
        Table.instant(item, "updated"), Table.number(item, "ver"));
  }
}
