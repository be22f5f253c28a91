package dev.smsgateway.store.jdbc;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link OptOutStore} on JDBC: one row per customer, replaced only by a record at the same time or later, in one
 * conditional upsert, so two gateways recording at once keep the newest. {@link #record} returns after the commit.
 * {@link #isOptedOutAsync} reads in the next group commit (see {@link GroupCommit}): the look-ups of a group are one
 * query on PostgreSQL, and no caller's thread waits for them.
 *
 * <p>Thread-safe.
 */
final class JdbcOptOutStore implements OptOutStore {

  /**
   * The batched lookup (PostgreSQL): one primary-key probe per customer, as {@link JdbcOriginatorStore#FIND_ALL}
   * explains (a cached generic plan of {@code customer = ANY(?)} can be a sequential scan).
   */
  static final String FIND_ALL = "SELECT o.customer, o.opted_out, o.keyword, o.source, o.at_time"
      + " FROM unnest(?) AS k(customer) CROSS JOIN LATERAL"
      + " (SELECT * FROM sms_opt_out s WHERE s.customer = k.customer OFFSET 0) o";

  /** One customer's record: a lone look-up (an asynchronous one alone in its group, or any on H2). */
  static final String FIND_ONE = "SELECT opted_out, keyword, source, at_time FROM sms_opt_out WHERE customer = ?";

  private final Jdbc jdbc;
  private final String upsert;
  // PostgreSQL: the lookups of concurrent sends share one query (each send checks its customer before it goes out)
  private final ReadBatch<String, OptOutRecord> lookups;
  // PostgreSQL: the asynchronous look-ups of one group commit, in one query
  private final GroupCommit.Combiner<String, Boolean> groupReads = this::readAll;

  JdbcOptOutStore(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.lookups = jdbc.dialect() == Dialect.POSTGRESQL ? new ReadBatch<>(64, this::findAll) : null;
    this.upsert = switch (jdbc.dialect()) {
      case POSTGRESQL -> "INSERT INTO sms_opt_out (customer, opted_out, keyword, source, at_time)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (customer) DO UPDATE SET opted_out = EXCLUDED.opted_out,"
          + " keyword = EXCLUDED.keyword, source = EXCLUDED.source, at_time = EXCLUDED.at_time"
          + " WHERE sms_opt_out.at_time <= EXCLUDED.at_time";
      case H2 -> "MERGE INTO sms_opt_out t USING (VALUES (CAST(? AS VARCHAR(16)), CAST(? AS BOOLEAN),"
          + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT))) s(customer, opted_out, keyword, source,"
          + " at_time) ON t.customer = s.customer"
          + " WHEN MATCHED AND t.at_time <= s.at_time THEN UPDATE SET opted_out = s.opted_out, keyword = s.keyword,"
          + " source = s.source, at_time = s.at_time"
          + " WHEN NOT MATCHED THEN INSERT (customer, opted_out, keyword, source, at_time)"
          + " VALUES (s.customer, s.opted_out, s.keyword, s.source, s.at_time)";
    };
  }

  @Override
  public void record(OptOutRecord record) {
    Objects.requireNonNull(record, "record == null");
    jdbc.run("opt-out record", c -> {
      try (PreparedStatement ps = c.prepareStatement(upsert)) {
        ps.setString(1, record.customer().e164());
        ps.setBoolean(2, record.optedOut());
        Jdbc.setNullableString(ps, 3, record.keyword());
        Jdbc.setNullableString(ps, 4, record.source());
        ps.setLong(5, Jdbc.nanos(record.at()));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean isOptedOut(PhoneNumber customer) {
    return optedOut(find(customer));
  }

  @Override
  public CompletableFuture<Boolean> isOptedOutAsync(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    Jdbc.SqlWork<Boolean> alone = c -> optedOut(findOne(c, customer));
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      return jdbc.writeAsync("opt-out find", groupReads, customer.e164(), alone);
    }
    return jdbc.writeAsync("opt-out find", alone);
  }

  /** The answers for the look-ups of one group (PostgreSQL), in their order: one query for the distinct customers. */
  private List<Boolean> readAll(Connection c, List<String> customers) throws SQLException {
    Map<String, OptOutRecord> found = findAll(c, new ArrayList<>(new LinkedHashSet<>(customers)));
    List<Boolean> answers = new ArrayList<>(customers.size());
    for (String customer : customers) {
      answers.add(optedOut(Optional.ofNullable(found.get(customer))));
    }
    return answers;
  }

  private static boolean optedOut(Optional<OptOutRecord> record) {
    return record.map(OptOutRecord::optedOut).orElse(false);
  }

  @Override
  public Optional<OptOutRecord> find(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    if (lookups != null) {
      return Optional.ofNullable(lookups.get(customer.e164()));
    }
    return jdbc.run("opt-out find", c -> findOne(c, customer));
  }

  /** The customer's record, read on {@code c}. */
  private static Optional<OptOutRecord> findOne(Connection c, PhoneNumber customer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FIND_ONE)) {
      ps.setString(1, customer.e164());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new OptOutRecord(customer, rs.getBoolean("opted_out"), rs.getString("keyword"),
            rs.getString("source"), Jdbc.instant(rs.getLong("at_time"))));
      }
    }
  }

  /** The records of {@code customers} (E.164) in one query; customers without a record are left out. */
  private Map<String, OptOutRecord> findAll(List<String> customers) {
    return jdbc.run("opt-out find", c -> findAll(c, customers));
  }

  private static Map<String, OptOutRecord> findAll(Connection c, List<String> customers) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FIND_ALL)) {
      ps.setArray(1, c.createArrayOf("varchar", customers.toArray()));
      Map<String, OptOutRecord> found = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String customer = rs.getString("customer");
          found.put(customer, new OptOutRecord(PhoneNumber.of(customer), rs.getBoolean("opted_out"),
              rs.getString("keyword"), rs.getString("source"), Jdbc.instant(rs.getLong("at_time"))));
        }
      }
      return found;
    }
  }
}
