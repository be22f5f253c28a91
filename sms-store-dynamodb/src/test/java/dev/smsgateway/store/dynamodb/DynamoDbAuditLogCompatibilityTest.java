package dev.smsgateway.store.dynamodb;

import dev.smsgateway.compliance.AuditLog;
import dev.smsgateway.test.AuditLogCompatibilityKit;
import java.time.Clock;

class DynamoDbAuditLogCompatibilityTest extends AuditLogCompatibilityKit {

  private String table;

  @Override
  protected AuditLog createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().auditLog();
  }

  @Override
  protected void closeStore(AuditLog store) {
    LocalDynamoDb.deleteTable(table);
  }
}
