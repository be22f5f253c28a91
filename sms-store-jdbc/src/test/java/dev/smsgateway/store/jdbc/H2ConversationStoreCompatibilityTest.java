package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.test.ConversationStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2ConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;

  @Override
  protected ConversationStore createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.conversationStore();
  }

  @Override
  protected void closeStore(ConversationStore store) {
    stores.close();
  }
}
