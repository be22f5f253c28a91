package dev.smsgateway.store.dynamodb;

import dev.smsgateway.routing.SharedAgentsScenario;
import dev.smsgateway.test.MutableClock;

/**
 * Two conversation services, each with its own {@link DynamoDbStores}, sharing agents through one table in DynamoDB
 * Local (the scenario is sms-routing's {@link SharedAgentsScenario}).
 */
class DynamoDbSharedAgentsTest extends SharedAgentsScenario {

  private String table;

  @Override
  protected void openShared() {
    table = LocalDynamoDb.newTable();
  }

  @Override
  protected Stores openStores(MutableClock clock) {
    DynamoDbStores stores = DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock)
        .build();
    // the client is shared by every test of the module; nothing of this instance's to close
    return new Stores(stores.originatorStore(), stores.optOutStore(), stores.conversationStore(),
        stores.agentStore(), () -> { });
  }

  @Override
  protected void closeShared() {
    if (table != null) {
      LocalDynamoDb.deleteTable(table);
    }
  }
}
