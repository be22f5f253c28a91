package dev.smsgateway.store.jdbc;

import dev.smsgateway.routing.ComplianceScenario;
import dev.smsgateway.test.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The compliance scenario on an H2 file database; a restart closes the stores and opens the file again. */
class H2ComplianceTest extends ComplianceScenario {

  @TempDir Path directory;

  @Override
  protected Stores openStores(MutableClock clock) {
    JdbcStores stores = JdbcStores.builder().h2File(directory).clock(clock).purgeInterval(Duration.ZERO).build();
    return new Stores(stores.consentStore(), stores.heldMessageStore(), stores.auditLog(), stores.originatorStore(),
        stores.optOutStore(), stores.conversationStore(), stores.messageStore(), stores::close);
  }
}
