package dev.smsgateway.store.jdbc;

import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.test.ConversationEventsCompatibilityKit;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * H2 has no notifications: instances other than the publisher hear of events by polling the same tables (here every
 * 50 ms). Several instances share one in-memory H2 database, as processes would share an H2 server.
 */
class H2ConversationEventsCompatibilityTest extends ConversationEventsCompatibilityKit {

  private JdbcConnectionPool pool;

  @Override
  protected void freshBackend() {
    pool = JdbcConnectionPool.create("jdbc:h2:mem:events-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    pool.setMaxConnections(32);
  }

  @Override
  protected ConversationEvents newInstance() {
    return JdbcConversationEvents.builder().dataSource(pool).pollInterval(Duration.ofMillis(50))
        .purgeInterval(Duration.ZERO).clock(clock).claimLease(claimLease()).build();
  }

  @Override
  protected void closeBackend() {
    try (var c = pool.getConnection(); var st = c.createStatement()) {
      st.execute("SHUTDOWN");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    pool.dispose();
  }
}
