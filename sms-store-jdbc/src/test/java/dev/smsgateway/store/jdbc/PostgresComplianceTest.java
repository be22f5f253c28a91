package dev.smsgateway.store.jdbc;

import dev.smsgateway.routing.ComplianceScenario;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The compliance scenario on PostgreSQL: a fresh database per test; a restart closes the stores and their pool and
 * opens new ones on the same database.
 */
class PostgresComplianceTest extends ComplianceScenario {

  private PostgresDatabase database;

  @Override
  protected Stores openStores(MutableClock clock) {
    if (database == null) {
      database = PostgresDatabase.create();
    }
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setURL(database.url());
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    JdbcStores stores = JdbcStores.builder().dataSource(pool).clock(clock).purgeInterval(Duration.ZERO).build();
    return new Stores(stores.consentStore(), stores.heldMessageStore(), stores.auditLog(), stores.originatorStore(),
        stores.optOutStore(), stores.conversationStore(), stores.messageStore(), () -> {
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
