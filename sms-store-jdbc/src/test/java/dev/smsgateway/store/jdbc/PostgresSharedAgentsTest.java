package dev.smsgateway.store.jdbc;

import dev.smsgateway.routing.SharedAgentsScenario;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * Two conversation services, each with its own connection pool and {@link JdbcStores}, sharing agents through one
 * PostgreSQL database (the scenario is sms-routing's {@link SharedAgentsScenario}).
 */
class PostgresSharedAgentsTest extends SharedAgentsScenario {

  private PostgresDatabase database;

  @Override
  protected void openShared() {
    database = PostgresDatabase.create();
  }

  @Override
  protected Stores openStores(MutableClock clock) {
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setURL(database.url());
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    JdbcStores stores = JdbcStores.builder().dataSource(pool).clock(clock).purgeInterval(Duration.ZERO).build();
    return new Stores(stores.originatorStore(), stores.optOutStore(), stores.conversationStore(),
        stores.agentStore(), () -> {
          stores.close();
          pool.dispose();
        });
  }

  @Override
  protected void closeShared() {
    if (database != null) {
      database.close();
    }
  }
}
