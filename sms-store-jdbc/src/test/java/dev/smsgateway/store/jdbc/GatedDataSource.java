package dev.smsgateway.store.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for tests that counts the statements prepared on its connections, by SQL, and can hold the
 * threads that ask for a connection: while held ({@link #hold}), each {@code getConnection} waits for a permit
 * ({@link #admit}), so a test can keep the group-commit flushers busy while it queues the writes of one group.
 * Thread-safe.
 */
final class GatedDataSource implements SimpleDataSource {

  private final DataSource target;
  private final Map<String, AtomicInteger> prepared = new ConcurrentHashMap<>();
  private final AtomicInteger arrived = new AtomicInteger();
  private volatile Semaphore gate;

  GatedDataSource(DataSource target) {
    this.target = target;
  }

  /** From now on, every {@code getConnection} waits for a permit; counts arrivals from 0. */
  void hold() {
    arrived.set(0);
    gate = new Semaphore(0);
  }

  /** Lets {@code n} waiting (or arriving) callers through. */
  void admit(int n) {
    gate.release(n);
  }

  /** Lets every caller through, now and later. */
  void open() {
    Semaphore g = gate;
    gate = null;
    if (g != null) {
      g.release(100_000);
    }
  }

  /** How many callers asked for a connection since {@link #hold()} (waiting or admitted). */
  int arrived() {
    return arrived.get();
  }

  /** How many statements of {@code sql} were prepared. */
  int prepared(String sql) {
    AtomicInteger n = prepared.get(sql);
    return n == null ? 0 : n.get();
  }

  void resetCounts() {
    prepared.clear();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Semaphore g = gate;
    if (g != null) {
      arrived.incrementAndGet();
      g.acquireUninterruptibly();
    }
    return counting(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  private Connection counting(Connection c) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
            prepared.computeIfAbsent(sql, k -> new AtomicInteger()).incrementAndGet();
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}

