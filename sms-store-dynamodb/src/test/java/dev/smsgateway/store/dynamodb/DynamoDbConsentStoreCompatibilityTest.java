package dev.smsgateway.store.dynamodb;

import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.test.ConsentStoreCompatibilityKit;
import java.time.Clock;

class DynamoDbConsentStoreCompatibilityTest extends ConsentStoreCompatibilityKit {

  private String table;

  @Override
  protected ConsentStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().consentStore();
  }

  @Override
  protected void closeStore(ConsentStore store) {
    LocalDynamoDb.deleteTable(table);
  }
}
