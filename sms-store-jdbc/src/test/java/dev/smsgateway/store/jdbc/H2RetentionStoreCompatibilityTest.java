package dev.smsgateway.store.jdbc;

import dev.smsgateway.test.RetentionStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2RetentionStoreCompatibilityTest extends RetentionStoreCompatibilityKit {

  @TempDir Path directory;

  @Override
  protected Stores createStore(Clock clock) {
    JdbcStores stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return new Stores(stores.conversationStore(), stores.messageStore(), stores.retentionStore(), stores::close);
  }
}
