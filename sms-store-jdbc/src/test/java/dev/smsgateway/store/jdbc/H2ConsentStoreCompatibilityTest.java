package dev.smsgateway.store.jdbc;

import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.test.ConsentStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2ConsentStoreCompatibilityTest extends ConsentStoreCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;

  @Override
  protected ConsentStore createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.consentStore();
  }

  @Override
  protected void closeStore(ConsentStore store) {
    stores.close();
  }
}
