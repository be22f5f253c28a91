package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.test.OptOutStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2OptOutStoreCompatibilityTest extends OptOutStoreCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;

  @Override
  protected OptOutStore createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.optOutStore();
  }

  @Override
  protected void closeStore(OptOutStore store) {
    stores.close();
  }
}
