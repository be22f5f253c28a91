package dev.smsgateway.store.jdbc;

import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.test.HeldMessageStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2HeldMessageStoreCompatibilityTest extends HeldMessageStoreCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;
  private JdbcStores second;

  @Override
  protected HeldMessageStore createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.heldMessageStore();
  }

  @Override
  protected HeldMessageStore secondStore() {
    second = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return second.heldMessageStore();
  }

  @Override
  protected void closeStore(HeldMessageStore store) {
    if (second != null) {
      second.close();
    }
    stores.close();
  }
}
