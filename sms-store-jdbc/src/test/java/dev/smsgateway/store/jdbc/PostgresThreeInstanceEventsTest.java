package dev.smsgateway.store.jdbc;

import dev.smsgateway.routing.ThreeInstanceEventsScenario;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Three conversation services, each with its own connection pool, {@link JdbcStores} and
 * {@link JdbcConversationEvents} (LISTEN/NOTIFY on a direct connection, no polling), on one PostgreSQL database (the
 * scenario is sms-routing's {@link ThreeInstanceEventsScenario}).
 */
class PostgresThreeInstanceEventsTest extends ThreeInstanceEventsScenario {

  private PostgresDatabase database;

  @Override
  protected void openShared() {
    database = PostgresDatabase.create();
  }

  @Override
  protected Stores openStores(MutableClock clock, String name) {
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setURL(database.url());
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    JdbcStores stores = JdbcStores.builder().dataSource(pool).clock(clock).purgeInterval(Duration.ZERO).build();
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(database.url());
    JdbcConversationEvents events = JdbcConversationEvents.builder().dataSource(pool).listenDataSource(direct)
        .name(name).clock(clock).pollInterval(Duration.ZERO).purgeInterval(Duration.ZERO).build();
    return new Stores(stores.originatorStore(), stores.optOutStore(), stores.conversationStore(),
        stores.agentStore(), stores.messageStore(), events, () -> {
          events.close();
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
