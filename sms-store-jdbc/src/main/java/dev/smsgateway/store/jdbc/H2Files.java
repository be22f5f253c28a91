package dev.smsgateway.store.jdbc;

import dev.smsgateway.SmsConfigurationException;
import java.nio.file.Path;
import javax.sql.DataSource;

/** Opens H2 file databases. The only class that names an H2 type, so that H2 stays an optional dependency. */
final class H2Files {

  /** The database file's base name inside the directory ({@code sms-gateway.mv.db}). */
  static final String FILE_NAME = "sms-gateway";

  /** A small pool: the stores hold a connection only for one statement (or one short transaction). */
  static final int MAX_CONNECTIONS = 8;

  private H2Files() {}

  /** The JDBC URL for the database in {@code directory}. */
  static String url(Path directory) {
    // WRITE_DELAY=0: a commit reaches the file (the OS) before the statement returns, so an acknowledged write
    // survives the process being killed; with H2's default 500 ms delay, a kill -9 loses the last half second.
    // retry: H2's file system that reopens the file when an interrupted thread closed its FileChannel (NIO closes
    // an interruptible channel on Thread.interrupt). With plain file:, one interrupted writer - an executor shut
    // down with shutdownNow(), a provider thread stopped on close - left the database closed for every later write.
    return "jdbc:h2:retry:" + directory.toAbsolutePath().resolve(FILE_NAME) + ";WRITE_DELAY=0";
  }

  interface Pool extends AutoCloseable {
    DataSource dataSource();

    @Override
    void close();
  }

  static Pool open(Path directory) {
    try {
      org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(url(directory), "sa", "");
      pool.setMaxConnections(MAX_CONNECTIONS);
      return new Pool() {
        @Override
        public DataSource dataSource() {
          return pool;
        }

        @Override
        public void close() {
          pool.dispose();
        }
      };
    } catch (NoClassDefFoundError e) {
      throw new SmsConfigurationException("JdbcStores.h2File needs H2 on the class path: add the dependency"
          + " com.h2database:h2 (2.3.232 or later)");
    }
  }
}
