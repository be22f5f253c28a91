package dev.smsgateway.store.dynamodb;

import dev.smsgateway.routing.ComplianceScenario;
import dev.smsgateway.test.MutableClock;

/** The compliance scenario on DynamoDB Local: a fresh table per test; a restart opens new stores on the same table. */
class DynamoDbComplianceTest extends ComplianceScenario {

  private String table;

  @Override
  protected Stores openStores(MutableClock clock) {
    if (table == null) {
      table = LocalDynamoDb.newTable();
    }
    DynamoDbStores stores = DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock)
        .build();
    // the client is shared by every test of the module; nothing of this instance's to close
    return new Stores(stores.consentStore(), stores.heldMessageStore(), stores.auditLog(), stores.originatorStore(),
        stores.optOutStore(), stores.conversationStore(), stores.messageStore(), () -> { });
  }

  @Override
  protected void closeShared() {
    if (table != null) {
      LocalDynamoDb.deleteTable(table);
    }
  }
}
