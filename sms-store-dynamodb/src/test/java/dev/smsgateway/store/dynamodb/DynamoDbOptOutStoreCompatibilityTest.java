package dev.smsgateway.store.dynamodb;

import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.test.OptOutStoreCompatibilityKit;
import java.time.Clock;

class DynamoDbOptOutStoreCompatibilityTest extends OptOutStoreCompatibilityKit {

  private String table;

  @Override
  protected OptOutStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().optOutStore();
  }

  @Override
  protected void closeStore(OptOutStore store) {
    LocalDynamoDb.deleteTable(table);
  }
}
