package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.AgentStore;
import dev.smsgateway.test.AgentStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2AgentStoreCompatibilityTest extends AgentStoreCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;
  private JdbcStores second;

  @Override
  protected AgentStore createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.agentStore();
  }

  /** A second pool on the same database file, as a second store object in this process. */
  @Override
  protected AgentStore secondInstance() {
    second = JdbcStores.builder().h2File(directory).purgeInterval(Duration.ZERO).build();
    return second.agentStore();
  }

  @Override
  protected void closeStore(AgentStore store) {
    if (second != null) {
      second.close();
    }
    stores.close();
  }
}
