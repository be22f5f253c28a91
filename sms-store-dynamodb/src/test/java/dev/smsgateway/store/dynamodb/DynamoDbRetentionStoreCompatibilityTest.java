package dev.smsgateway.store.dynamodb;

import dev.smsgateway.test.RetentionStoreCompatibilityKit;
import java.time.Clock;

class DynamoDbRetentionStoreCompatibilityTest extends RetentionStoreCompatibilityKit {

  @Override
  protected Stores createStore(Clock clock) {
    String table = LocalDynamoDb.newTable();
    DynamoDbStores stores = DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock)
        .build();
    return new Stores(stores.conversationStore(), stores.messageStore(), stores.retentionStore(),
        () -> LocalDynamoDb.deleteTable(table));
  }
}
