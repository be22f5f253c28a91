package dev.smsgateway.store.dynamodb;

import dev.smsgateway.routing.MultiInstanceScenario;
import dev.smsgateway.test.MutableClock;

/**
 * Two gateway instances, each with its own {@link DynamoDbStores}, sharing one table in DynamoDB Local: what one
 * instance writes, the other acts on (the scenario is sms-routing's {@link MultiInstanceScenario}).
 */
class DynamoDbMultiInstanceTest extends MultiInstanceScenario {

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
        stores.messageStore(), () -> { });
  }

  @Override
  protected void closeShared() {
    if (table != null) {
      LocalDynamoDb.deleteTable(table);
    }
  }
}
