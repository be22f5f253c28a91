package dev.smsgateway.store.dynamodb;

import dev.smsgateway.store.AgentStore;
import dev.smsgateway.test.AgentStoreCompatibilityKit;
import java.time.Clock;

/** The agent store kit on DynamoDB Local; the races run between two {@link DynamoDbStores} on one table. */
class DynamoDbAgentStoreCompatibilityTest extends AgentStoreCompatibilityKit {

  private String table;

  @Override
  protected AgentStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().agentStore();
  }

  @Override
  protected AgentStore secondInstance() {
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).build().agentStore();
  }

  @Override
  protected void closeStore(AgentStore store) {
    LocalDynamoDb.deleteTable(table);
  }
}
