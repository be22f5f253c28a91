package dev.smsgateway.store.dynamodb;

import dev.smsgateway.routing.ThreeInstanceEventsScenario;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;

/**
 * Three conversation services, each with its own {@link DynamoDbStores} and {@link DynamoDbConversationEvents}
 * (DynamoDB Streams), on one stores table and one events table in DynamoDB Local (the scenario is sms-routing's
 * {@link ThreeInstanceEventsScenario}).
 */
class DynamoDbThreeInstanceEventsTest extends ThreeInstanceEventsScenario {

  private String table;
  private String eventsTable;

  @Override
  protected void openShared() {
    table = LocalDynamoDb.newTable();
    eventsTable = table + "-events";
    DynamoDbConversationEvents.createTable(LocalDynamoDb.client(), eventsTable);
  }

  @Override
  protected Stores openStores(MutableClock clock, String name) {
    DynamoDbStores stores = DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock)
        .build();
    // Events expire (TTL) a retention after the scenario's clock: far enough that DynamoDB Local's TTL sweep, on the
    // wall clock, leaves them alone.
    DynamoDbConversationEvents events = DynamoDbConversationEvents.builder().client(LocalDynamoDb.client())
        .streamsClient(LocalDynamoDb.streamsClient()).tableName(eventsTable).name(name).clock(clock)
        .retention(Duration.ofDays(365 * 50)).build();
    // the clients are shared by every test of the module: only the bus client is this instance's
    return new Stores(stores.originatorStore(), stores.optOutStore(), stores.conversationStore(),
        stores.agentStore(), stores.messageStore(), events, events::close);
  }

  @Override
  protected void closeShared() {
    try {
      if (eventsTable != null) {
        LocalDynamoDb.deleteTable(eventsTable);
      }
    } finally {
      if (table != null) {
        LocalDynamoDb.deleteTable(table);
      }
    }
  }
}
