package dev.smsgateway.store.dynamodb;

import dev.smsgateway.store.MessageStore;
import dev.smsgateway.test.MessageStoreCompatibilityKit;
import java.time.Clock;

class DynamoDbMessageStoreCompatibilityTest extends MessageStoreCompatibilityKit {

  private String table;

  @Override
  protected MessageStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().messageStore();
  }

  @Override
  protected void closeStore(MessageStore store) {
    LocalDynamoDb.deleteTable(table);
  }
}
