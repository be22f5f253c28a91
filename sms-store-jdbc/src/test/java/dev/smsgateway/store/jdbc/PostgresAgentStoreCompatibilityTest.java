package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.AgentStore;
import dev.smsgateway.test.AgentStoreCompatibilityKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/** The agent store kit on PostgreSQL; the races run between two {@link JdbcStores} on one database. */
class PostgresAgentStoreCompatibilityTest extends AgentStoreCompatibilityKit {

  private static PostgresDatabase database;
  private JdbcStores stores;
  private JdbcStores second;

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected AgentStore createStore(Clock clock) {
    if (database == null) {
      database = PostgresDatabase.create();
    }
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(clock).purgeInterval(Duration.ZERO).build();
    try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE sms_agent, sms_agent_queue, sms_agent_slot, sms_agent_offer");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return stores.agentStore();
  }

  @Override
  protected AgentStore secondInstance() {
    second = JdbcStores.builder().dataSource(database.dataSource()).purgeInterval(Duration.ZERO).build();
    return second.agentStore();
  }

  @Override
  protected void closeStore(AgentStore store) {
    if (second != null) {
      second.close();
    }
    if (stores != null) {
      stores.close();
    }
  }
}
