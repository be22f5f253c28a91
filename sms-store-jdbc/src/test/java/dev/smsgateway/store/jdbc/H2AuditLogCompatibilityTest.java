package dev.smsgateway.store.jdbc;

import dev.smsgateway.compliance.AuditLog;
import dev.smsgateway.test.AuditLogCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class H2AuditLogCompatibilityTest extends AuditLogCompatibilityKit {

  @TempDir Path directory;
  private JdbcStores stores;

  @Override
  protected AuditLog createStore(Clock clock) {
    stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return stores.auditLog();
  }

  @Override
  protected void closeStore(AuditLog store) {
    stores.close();
  }
}
