package dev.smsgateway.store.dynamodb;

import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.test.HeldMessageStoreCompatibilityKit;
import java.time.Clock;

class DynamoDbHeldMessageStoreCompatibilityTest extends HeldMessageStoreCompatibilityKit {

  private String table;

  @Override
  protected HeldMessageStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().heldMessageStore();
  }

  @Override
  protected HeldMessageStore secondStore() {
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build()
        .heldMessageStore();
  }

  @Override
  protected void closeStore(HeldMessageStore store) {
    LocalDynamoDb.deleteTable(table);
  }
}
