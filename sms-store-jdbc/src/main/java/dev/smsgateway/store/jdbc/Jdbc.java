package dev.smsgateway.store.jdbc;

import dev.smsgateway.Originator;
import dev.smsgateway.SmsTransportException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import javax.sql.DataSource;

/** Connection handling, retries of transient conflicts and value encodings shared by the JDBC stores. */
final class Jdbc {

  /** How often a statement that lost a race (unique violation, serialization failure, lock timeout) is retried. */
  static final int MAX_ATTEMPTS = 50;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final GroupCommit groupCommit;
  private final Completions completions = new Completions();

  Jdbc(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    // two flushers: one commit waits for the disk while the next group runs its statements
    this.groupCommit = new GroupCommit(this, 2, 64, completions);
  }

  /**
   * Runs a single-row write that never catches a SQL error and goes on (see {@link GroupCommit}) together with the
   * concurrent callers' writes, in one transaction; returns once that committed.
   */
  <T> T write(String operation, SqlWork<T> work) {
    return groupCommit.write(operation, work);
  }

  /**
   * {@link #write} without blocking the caller: the future completes once the group committed, on the stores'
   * completion threads (see {@link Completions}).
   */
  <T> java.util.concurrent.CompletableFuture<T> writeAsync(String operation, SqlWork<T> work) {
    return groupCommit.writeAsync(operation, work);
  }

  /** {@link #write} of one statement: the group runs its statements of the same SQL as one JDBC batch. */
  <T> T write(String operation, GroupCommit.Statement<T> statement) {
    return groupCommit.write(operation, statement);
  }

  /** {@link #write} of {@code arg}, in one call with the group's other writes of {@code combiner}. */
  <A, R> R write(String operation, GroupCommit.Combiner<A, R> combiner, A arg, SqlWork<R> alone) {
    return groupCommit.write(operation, combiner, arg, alone);
  }

  /** {@link #write} of {@code arg} with a combiner, without blocking the caller (see {@link GroupCommit#writeAsync}). */
  <A, R> java.util.concurrent.CompletableFuture<R> writeAsync(String operation, GroupCommit.Combiner<A, R> combiner,
      A arg, SqlWork<R> alone) {
    return groupCommit.writeAsync(operation, combiner, arg, alone);
  }

  /** {@link #write} of one statement, with what runs instead when its group failed (see {@link GroupCommit}). */
  <T> T write(String operation, GroupCommit.Statement<T> statement, SqlWork<T> alone) {
    return groupCommit.write(operation, statement, alone);
  }

  /** {@link #writeAsync} of one statement: the group runs its statements of the same SQL as one JDBC batch. */
  <T> java.util.concurrent.CompletableFuture<T> writeAsync(String operation, GroupCommit.Statement<T> statement) {
    return groupCommit.writeAsync(operation, statement);
  }

  /**
   * Several statements as one write of the next group, committed together; the future completes on the committing
   * thread (see {@link GroupCommit#writeAllAsync}).
   */
  java.util.concurrent.CompletableFuture<Void> writeAllAsync(String operation,
      java.util.List<GroupCommit.Statement<?>> statements) {
    return groupCommit.writeAllAsync(operation, statements);
  }

  /** Writes what is queued for group commit and stops its threads. */
  void close() {
    groupCommit.close();
    completions.close();
  }

  Dialect dialect() {
    return dialect;
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection in auto-commit mode; retries it when it lost a race with another writer (two
   * gateways inserting the same key at once), which the next attempt resolves by seeing the winner's row.
   */
  <T> T run(String operation, SqlWork<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        if (!connection.getAutoCommit()) {
          connection.setAutoCommit(true);
        }
        return work.run(connection);
      } catch (SQLException e) {
        if (!isRaceLost(e)) {
          throw failure(operation, e);
        }
        last = e;
        Thread.onSpinWait();
      }
    }
    throw failure(operation + " (still conflicting after " + MAX_ATTEMPTS + " attempts)", last);
  }

  /** Runs {@code work} in one transaction, committed when it returns, rolled back when it throws. */
  <T> T inTransaction(String operation, SqlWork<T> work) {
    return run(operation, connection -> atomically(connection, work));
  }

  /**
   * {@code work} as one transaction on {@code c}: in the caller's when {@code c} is in one already (a group commit's),
   * otherwise in one of its own, committed when it returns and rolled back when it throws. For a write of several
   * statements queued for a group commit, which also runs alone (a group of one, or after its group failed) on a
   * connection in auto-commit mode.
   */
  static <T> T atomically(Connection c, SqlWork<T> work) throws SQLException {
    if (!c.getAutoCommit()) {
      return work.run(c);
    }
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /**
   * 23505 unique violation (a concurrent insert of the same key won), 40001 serialization failure, 40P01 PostgreSQL
   * deadlock, HYT00 H2 lock timeout.
   */
  static boolean isRaceLost(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state);
  }

  static SmsTransportException failure(String operation, SQLException e) {
    String message = "JDBC store: " + operation + " failed";
    if (e != null) {
      message += ": " + e.getMessage();
    }
    return new SmsTransportException(message, null, e == null ? null : e.getSQLState(), false, e);
  }

  // Instants are stored as epoch nanoseconds in a BIGINT: exact round trips (a record read back equals the one
  // written), cheap comparisons in SQL, and the same encoding on every database. Values beyond what a long holds
  // (after the year 2262) are clamped, which keeps "expires after" comparisons right.
  static long nanos(Instant instant) {
    try {
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : instant(value);
  }

  static void setNullableInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, nanos(value));
    }
  }

  static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  /**
   * The full form of an originator ({@code KIND|COUNTRY|address}); the lookup key is {@link Originator#key()}, but
   * the key alone does not say whether a number is a long code or toll-free.
   */
  static String originatorRef(Originator originator) {
    if (originator == null) {
      return null;
    }
    String country = originator.country() == null ? "" : originator.country();
    return originator.kind().name() + "|" + country + "|" + originator.address();
  }

  static Originator originator(String ref) {
    if (ref == null) {
      return null;
    }
    int first = ref.indexOf('|');
    int second = ref.indexOf('|', first + 1);
    String country = ref.substring(first + 1, second);
    return new Originator(Originator.Kind.valueOf(ref.substring(0, first)), ref.substring(second + 1),
        country.isEmpty() ? null : country);
  }
}
