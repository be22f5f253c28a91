package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.OriginatorStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2OriginatorStoreCompatibilityTest extends OriginatorStoreCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;

  @Override
  protected OriginatorStore createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.originatorStore();
  }

  @Override
  protected void closeStore(OriginatorStore store) {
    stores.close();
  }
}
