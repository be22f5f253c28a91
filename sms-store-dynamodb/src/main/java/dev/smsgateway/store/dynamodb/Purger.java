package dev.smsgateway.store.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.paginators.ScanIterable;

/**
 * Deletes expired items of one kind now. DynamoDB's native TTL does this on its own (eventually, typically within a
 * few days), so this is for tests and operators: it scans the table, which costs read capacity in proportion to the
 * table's size.
 */
final class Purger {

  private Purger() {}

  static int purge(Table table, String pkPrefix, long nowNanos) {
    AttributeValue now = Table.n(nowNanos);
    ScanIterable pages = table.call("purge scan", () -> table.client.scanPaginator(ScanRequest.builder()
        .tableName(table.name).consistentRead(true)
        .filterExpression("begins_with(pk, :prefix) AND expires <= :now")
        .projectionExpression("pk, sk")
        .expressionAttributeValues(Map.of(":prefix", Table.s(pkPrefix), ":now", now)).build()));
    int deleted = 0;
    for (Map<String, AttributeValue> item : table.call("purge scan", () -> pages.items().stream().toList())) {
      try {
        // Conditional, so that an item renewed since the scan is kept.
        table.call("purge delete", () -> table.client.deleteItem(DeleteItemRequest.builder().tableName(table.name)
            .key(Map.of(Table.PK, item.get(Table.PK), Table.SK, item.get(Table.SK)))
            .conditionExpression("expires <= :now").expressionAttributeValues(Map.of(":now", now)).build()));
        deleted++;
      } catch (ConditionalCheckFailedException renewed) {
        // kept
      }
    }
    return deleted;
  }
}
