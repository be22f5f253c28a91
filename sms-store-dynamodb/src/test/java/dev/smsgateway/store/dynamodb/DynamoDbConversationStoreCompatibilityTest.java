package dev.smsgateway.store.dynamodb;

import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.test.ConversationStoreCompatibilityKit;
import java.time.Clock;

class DynamoDbConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

  private String table;

  @Override
  protected ConversationStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().conversationStore();
  }

  @Override
  protected void closeStore(ConversationStore store) {
    LocalDynamoDb.deleteTable(table);
  }
}
