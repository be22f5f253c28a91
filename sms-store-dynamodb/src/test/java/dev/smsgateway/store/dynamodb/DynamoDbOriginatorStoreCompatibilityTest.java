package dev.smsgateway.store.dynamodb;

import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.OriginatorStoreCompatibilityKit;
import java.time.Clock;

class DynamoDbOriginatorStoreCompatibilityTest extends OriginatorStoreCompatibilityKit {

  private String table;

  @Override
  protected OriginatorStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().originatorStore();
  }

  @Override
  protected void closeStore(OriginatorStore store) {
    LocalDynamoDb.deleteTable(table);
  }
}
