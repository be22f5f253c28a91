package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.MessageStore;
import dev.smsgateway.test.MessageStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2MessageStoreCompatibilityTest extends MessageStoreCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;

  @Override
  protected MessageStore createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.messageStore();
  }

  @Override
  protected void closeStore(MessageStore store) {
    stores.close();
  }
}
