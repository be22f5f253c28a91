package dev.smsgateway.store.jdbc;

import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/** A fresh database for tests that run on both engines: {@code "postgres"} (the test server) or H2 in memory. */
final class EngineDataSource {

  private EngineDataSource() {}

  /** A new, empty database of {@code engine}; what closes it is added to {@code closing}. */
  static DataSource open(String engine, List<AutoCloseable> closing) {
    if (engine.equals("postgres")) {
      PostgresDatabase database = PostgresDatabase.create();
      closing.add(database);
      return database.dataSource();
    }
    JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:test-" + UUID.randomUUID()
        + ";DB_CLOSE_DELAY=-1", "sa", "");
    closing.add(pool::dispose);
    return pool;
  }
}
