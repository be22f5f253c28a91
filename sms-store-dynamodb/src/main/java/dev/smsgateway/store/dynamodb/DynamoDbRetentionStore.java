package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.compliance.RetentionStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link RetentionStore} on DynamoDB: scans for ended conversations and old message records (read capacity in
 * proportion to the table's size: run it daily, not per minute) and deletes them with their transcript lines, chat
 * links and provider-id links.
 *
 * <p>Thread-safe.
 */
final class DynamoDbRetentionStore implements RetentionStore {

  private final Table table;

  DynamoDbRetentionStore(Table table) {
    this.table = table;
  }

  @Override
  public int purgeConversationsEndedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    int purged = 0;
    for (Map<String, AttributeValue> conversation : scan("ended", "conv", cutoff)) {
      AttributeValue pk = conversation.get(Table.PK);
      // the conversation item and its transcript lines share the partition
      List<Map<String, AttributeValue>> items = table.call("retention lines", () -> table.client.queryPaginator(
          QueryRequest.builder().tableName(table.name).consistentRead(true).keyConditionExpression("pk = :pk")
              .projectionExpression("pk, sk").expressionAttributeValues(Map.of(":pk", pk)).build())
          .items().stream().toList());
      items.forEach(this::delete);
      dropChatLink(pk.s().substring(pk.s().indexOf('#') + 1));
      purged++;
    }
    return purged;
  }

  @Override
  public int purgeMessagesUpdatedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    Set<String> ids = new HashSet<>();
    for (Map<String, AttributeValue> message : scan("updated", "msg", cutoff)) {
      delete(message);
      ids.add(message.get(Table.PK).s().substring("msg#".length()));
    }
    if (!ids.isEmpty()) {
      List<Map<String, AttributeValue>> links = table.call("retention scan", () -> table.client.scanPaginator(
          ScanRequest.builder().tableName(table.name).consistentRead(true).filterExpression("sk = :sk")
              .projectionExpression("pk, sk, mid").expressionAttributeValues(Map.of(":sk", s("link"))).build())
          .items().stream().toList());
      for (Map<String, AttributeValue> link : links) {
        if (ids.contains(Table.string(link, "mid"))) {
          delete(link);
        }
      }
    }
    return ids.size();
  }

  /** The conversation's chat link and its contact's marker (DynamoDbConversationStore's chat#, chatcontact#). */
  private void dropChatLink(String conversationId) {
    Map<String, AttributeValue> link = table.get("retention chat link", "chat#" + conversationId, "chat");
    if (link == null) {
      return;
    }
    delete(Map.of(Table.PK, s("chatcontact#" + Table.string(link, "contact")), Table.SK, s("chat")));
    delete(link);
  }

  /** The items of one kind (their sort key) whose time attribute is before the cut-off. */
  private List<Map<String, AttributeValue>> scan(String timeAttribute, String sortKey, Instant cutoff) {
    return table.call("retention scan", () -> table.client.scanPaginator(ScanRequest.builder().tableName(table.name)
        .consistentRead(true).filterExpression("sk = :sk AND #t < :cut").projectionExpression("pk, sk")
        .expressionAttributeNames(Map.of("#t", timeAttribute))
        .expressionAttributeValues(Map.of(":sk", s(sortKey), ":cut", Table.n(Table.nanos(cutoff)))).build())
        .items().stream().toList());
  }

  private void delete(Map<String, AttributeValue> item) {
    table.call("retention delete", () -> table.client.deleteItem(DeleteItemRequest.builder().tableName(table.name)
        .key(Map.of(Table.PK, item.get(Table.PK), Table.SK, item.get(Table.SK))).build()));
  }
}
