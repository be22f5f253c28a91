package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.events.ConversationEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** What the kit cannot say about PostgreSQL: the listening connection dies, and builder checks. */
class PostgresConversationEventsTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static PostgresDatabase database;

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  private static PostgresDatabase database() {
    if (database == null) {
      database = PostgresDatabase.create();
    }
    return database;
  }

  @Test
  @DisplayName("when the LISTEN connection is killed, it reconnects and what was published meanwhile still arrives")
  void listenerReconnects() throws Exception {
    PostgresDatabase db = database();
    try (JdbcConversationEvents here = build(db); JdbcConversationEvents elsewhere = build(db)) {
      LinkedBlockingQueue<ConversationEvent> received = new LinkedBlockingQueue<>();
      here.subscribe("here", received::add).attach("alice");
      elsewhere.publish(ConversationEvent.message("alice", "c", "in-1", AT));
      assertThat(received.poll(10, TimeUnit.SECONDS)).extracting(ConversationEvent::messageId).isEqualTo("in-1");

      assertThat(terminateListeners(db)).isEqualTo(2);   // both instances' LISTEN connections die
      elsewhere.publish(ConversationEvent.message("alice", "c", "in-2", AT));   // no one listens right now

      ConversationEvent second = received.poll(10, TimeUnit.SECONDS);
      assertThat(second).isNotNull().extracting(ConversationEvent::messageId).isEqualTo("in-2");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!here.listening() && System.nanoTime() < deadline) {
        Thread.sleep(10);   // polling a flag, bounded by the deadline
      }
      assertThat(here.listening()).isTrue();
      elsewhere.publish(ConversationEvent.message("alice", "c", "in-3", AT));
      assertThat(received.poll(10, TimeUnit.SECONDS)).extracting(ConversationEvent::messageId).isEqualTo("in-3");
      assertThat(received).isEmpty();
    }
  }

  /**
   * The listener takes a direct (unpooled) connection, as the docs advise: H2's small pool used by these tests hands a
   * killed connection out again, where a validating pool (HikariCP) would drop it.
   */
  private static JdbcConversationEvents build(PostgresDatabase db) {
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(db.url());
    return JdbcConversationEvents.builder().dataSource(db.dataSource()).listenDataSource(direct)
        .pollInterval(Duration.ZERO).purgeInterval(Duration.ZERO).build();
  }

  private static int terminateListeners(PostgresDatabase db) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'")) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  @Test
  @DisplayName("the builder names what is missing or wrong")
  void builderChecks() {
    assertThatThrownBy(() -> JdbcConversationEvents.builder().build()).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("dataSource");
    assertThatThrownBy(() -> JdbcConversationEvents.builder().retention(Duration.ZERO))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("retention");
    assertThatThrownBy(() -> JdbcConversationEvents.builder().pollInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("pollInterval");
  }

  @Test
  @DisplayName("the scheduled purge deletes events past the retention by the configured clock")
  void scheduledPurge() throws Exception {
    PostgresDatabase db = database();
    dev.smsgateway.test.MutableClock clock = new dev.smsgateway.test.MutableClock(AT.plus(Duration.ofDays(8)));
    try (JdbcConversationEvents events = JdbcConversationEvents.builder().dataSource(db.dataSource())
        .clock(clock).retention(Duration.ofDays(7)).purgeInterval(Duration.ofMillis(20)).build()) {
      events.publish(ConversationEvent.message("purge-me", "c", "old", AT));
      events.publish(ConversationEvent.message("purge-me", "c", "new", AT.plus(Duration.ofDays(2))));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      List<ConversationEvent> left = events.read("purge-me", 0, 10);
      while (left.size() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);   // waiting for the scheduled purge, bounded
        left = events.read("purge-me", 0, 10);
      }
      assertThat(left).extracting(ConversationEvent::messageId).containsExactly("new");
    }
  }
}
