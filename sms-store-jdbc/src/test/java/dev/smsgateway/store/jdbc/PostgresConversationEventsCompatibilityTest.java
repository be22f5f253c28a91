package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.test.ConversationEventsCompatibilityKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * The kit on a real PostgreSQL server, each instance with its own LISTEN connection and polling switched off: every
 * delivery to another instance here comes from a {@code NOTIFY}.
 */
class PostgresConversationEventsCompatibilityTest extends ConversationEventsCompatibilityKit {

  private static PostgresDatabase database;

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected void freshBackend() {
    if (database == null) {
      database = PostgresDatabase.create();
      JdbcConversationEvents.builder().dataSource(database.dataSource()).purgeInterval(Duration.ZERO).build().close();
    }
    try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE sms_event_stream, sms_event, sms_event_cursor");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected ConversationEvents newInstance() {
    JdbcConversationEvents events = JdbcConversationEvents.builder().dataSource(database.dataSource())
        .pollInterval(Duration.ZERO).purgeInterval(Duration.ZERO).clock(clock).claimLease(claimLease()).build();
    assertThat(events.listening()).as("LISTEN in place when build() returns").isTrue();
    return events;
  }
}
