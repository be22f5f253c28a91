package dev.smsgateway.store.jdbc;

import dev.smsgateway.events.ConversationEventBus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that {@code LISTEN}s on {@link JdbcConversationEventLog#CHANNEL} and wakes the bus for the
 * stream each notification names. After (re)connecting it wakes every stream, since notifications sent while it was
 * not listening are lost (PostgreSQL queues them only for sessions listening at commit time). PgJDBC has no push API:
 * {@link PGConnection#getNotifications(int)} blocks up to the timeout for the next one.
 */
final class PostgresNotifications implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
  private static final int WAIT_MILLIS = 250;
  private static final long RECONNECT_MILLIS = 1_000;

  private final DataSource dataSource;
  private final ConversationEventBus bus;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean listening;

  PostgresNotifications(DataSource dataSource, ConversationEventBus bus, String name) {
    this.dataSource = dataSource;
    this.bus = bus;
    this.thread = new Thread(this::run, "sms-events-listen-" + name);
    this.thread.setDaemon(true);
  }

  /** Starts listening; returns once the first {@code LISTEN} is in place (or failed, then it keeps trying). */
  void start() {
    thread.start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!listening && thread.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  boolean listening() {
    return listening;
  }

  private void run() {
    while (!closed) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (Statement st = connection.createStatement()) {
          st.execute("LISTEN " + JdbcConversationEventLog.CHANNEL);
        }
        listening = true;
        bus.wakeAll();
        try {
          while (!closed) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null) {
              for (PGNotification n : notifications) {
                bus.wake(n.getParameter());
              }
            }
          }
        } finally {
          listening = false;
          try (Statement st = connection.createStatement()) {
            st.execute("UNLISTEN *");   // the connection may go back to a pool
          } catch (SQLException ignored) {
            // the connection is broken: the pool discards it
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("conversation events: listening on PostgreSQL failed, reconnecting in {} ms: {}", RECONNECT_MILLIS,
            e.toString());
        try {
          Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
