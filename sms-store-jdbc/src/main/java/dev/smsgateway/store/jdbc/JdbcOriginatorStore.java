package dev.smsgateway.store.jdbc;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link OriginatorStore} on JDBC. A put is one upsert, group-committed with concurrent writes (see
 * {@link GroupCommit}): when it returns, the record is committed. A
 * record replaces the stored one unless the stored one was created later (two gateways writing the same key at once
 * settle on the newer agent text, whatever order the writes arrive in). Expired rows are never returned.
 *
 * <p>Thread-safe.
 */
final class JdbcOriginatorStore implements OriginatorStore {

  private static final String COLUMNS =
      "customer, business, business_ref, agent_id, outbound_text, message_id, created_at, expires_at";

  /**
   * The batched lookup (PostgreSQL): one primary-key probe per customer, whatever the statistics say. The plain form
   * {@code WHERE customer = ANY(?)} gets a generic plan from the driver's server-side prepared statement; planned
   * while the table was small or never analyzed, that plan is a sequential scan and stays cached as the table grows
   * (1.9 ms a call at 13,000 rows, measured). {@code OFFSET 0} keeps the lateral subquery from being flattened into a
   * join, so each key is looked up like the single-key query.
   */
  static final String FIND_ALL = "SELECT o.customer, o.business, o.business_ref, o.agent_id, o.outbound_text,"
      + " o.message_id, o.created_at, o.expires_at FROM unnest(?) AS k(customer) CROSS JOIN LATERAL"
      + " (SELECT * FROM sms_originator s WHERE s.customer = k.customer AND s.expires_at > ? OFFSET 0) o";

  /** PostgreSQL's upsert: a stored record created later than the new one stays. */
  private static final String PG_ON_CONFLICT = " ON CONFLICT (customer, business) DO UPDATE SET"
      + " business_ref = EXCLUDED.business_ref, agent_id = EXCLUDED.agent_id, outbound_text = EXCLUDED.outbound_text,"
      + " message_id = EXCLUDED.message_id, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at"
      + " WHERE sms_originator.created_at <= EXCLUDED.created_at";

  /**
   * The claims ({@link #replace}) of one group commit in one statement (PostgreSQL): the live records of the pairs
   * (probed by primary key, as {@link #FIND_ALL} does) and the upserts of the new ones. The statement's parts all see
   * the snapshot taken before it, so {@code prev} holds the records the upserts replace. The pairs must be distinct:
   * an upsert may not change one row twice in a statement.
   */
  static final String REPLACE_ALL = "WITH i AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[],"
      + " ?::varchar[], ?::varchar[], ?::varchar[], ?::int8[], ?::int8[]) AS i(" + COLUMNS + ")),"
      + " prev AS (SELECT p.* FROM i CROSS JOIN LATERAL (SELECT s.customer, s.business, s.business_ref, s.agent_id,"
      + " s.outbound_text, s.message_id, s.created_at, s.expires_at FROM sms_originator s WHERE s.customer ="
      + " i.customer AND s.business = i.business AND s.expires_at > ? OFFSET 0) p),"
      + " up AS (INSERT INTO sms_originator (" + COLUMNS + ") SELECT " + COLUMNS + " FROM i" + PG_ON_CONFLICT + ")"
      + " SELECT " + COLUMNS + " FROM prev";

  private final Jdbc jdbc;
  private final Clock clock;
  private final String upsert;
  // PostgreSQL: the claims of one group, in one statement (a field: the group commit combines by identity)
  private final GroupCommit.Combiner<OriginatorRecord, Optional<OriginatorRecord>> claims = this::replaceAll;
  // PostgreSQL: the live record (customer, business, now) and the upsert, in one statement
  private final String replace;
  // PostgreSQL: the lookups of concurrent callers (claims before a send, replies routed) share one query
  private final ReadBatch<String, OriginatorRecord> lookups;

  JdbcOriginatorStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.lookups = jdbc.dialect() == Dialect.POSTGRESQL ? new ReadBatch<>(64, this::findAll) : null;
    this.upsert = switch (jdbc.dialect()) {
      case POSTGRESQL -> "INSERT INTO sms_originator (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + PG_ON_CONFLICT;
      case H2 -> "MERGE INTO sms_originator t USING (VALUES (CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR(64)),"
          + " CAST(? AS VARCHAR(96)), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT),"
          + " CAST(? AS BIGINT))) s(" + COLUMNS + ") ON t.customer = s.customer AND t.business = s.business"
          + " WHEN MATCHED AND t.created_at <= s.created_at THEN UPDATE SET business_ref = s.business_ref,"
          + " agent_id = s.agent_id, outbound_text = s.outbound_text, message_id = s.message_id,"
          + " created_at = s.created_at, expires_at = s.expires_at"
          + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.customer, s.business, s.business_ref,"
          + " s.agent_id, s.outbound_text, s.message_id, s.created_at, s.expires_at)";
    };
    this.replace = "WITH prev AS (SELECT " + COLUMNS + " FROM sms_originator WHERE customer = ? AND business = ?"
        + " AND expires_at > ?), up AS (" + upsert + ") SELECT " + COLUMNS + " FROM prev";
  }

  @Override
  public void put(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    jdbc.write("originator put", upsert(record));
  }

  /** Group-committed like {@link #put}; the future completes after the commit, on the stores' completion threads. */
  @Override
  public CompletableFuture<Void> putAsync(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    return jdbc.writeAsync("originator put", upsert(record)).thenApply(count -> null);
  }

  /**
   * PostgreSQL: one statement in the next group commit, the read of the live record and the upsert together (a common
   * table expression: both see the table as it was before the statement); the claims of concurrent callers that share
   * a group are one statement ({@link #REPLACE_ALL}). H2: the read, then the upsert in a group's batch; like the
   * default, not one atomic step (a concurrent put in between is replaced, and not returned).
   */
  @Override
  public Optional<OriginatorRecord> replace(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      long now = Jdbc.nanos(clock.instant());
      return jdbc.write("originator replace", claims, record, c -> replaceOne(c, record, now));
    }
    Optional<OriginatorRecord> previous = find(record.customer(), record.business());
    put(record);
    return previous;
  }

  /**
   * {@link #replace} in the next group commit, without blocking the caller: on PostgreSQL with the group's other
   * claims in one statement; on H2 the read and the upsert in the group's transaction. The future completes after the
   * commit, on the stores' completion threads.
   */
  @Override
  public CompletableFuture<Optional<OriginatorRecord>> replaceAsync(OriginatorRecord record) {
    Objects.requireNonNull(record, "record == null");
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      return jdbc.writeAsync("originator replace", claims, record,
          c -> replaceOne(c, record, Jdbc.nanos(clock.instant())));
    }
    GroupCommit.Statement<Integer> upsert = upsert(record);
    return jdbc.writeAsync("originator replace", c -> {
      Optional<OriginatorRecord> previous = find(c, record.customer(), record.business(),
          Jdbc.nanos(clock.instant()));
      upsert.alone().run(c);
      return previous;
    });
  }

  private Optional<OriginatorRecord> replaceOne(Connection c, OriginatorRecord record, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(replace)) {
      ps.setString(1, record.customer().e164());
      ps.setString(2, record.business().key());
      ps.setLong(3, now);
      bindUpsert(ps, record, 3);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The claims of one group, in queue order (PostgreSQL): the first claim of each pair in one {@link #REPLACE_ALL},
   * then a pair's later claims one by one, in order, so each returns the record the one before it wrote, as if they
   * had run one after the other. The time is read when the group runs.
   */
  List<Optional<OriginatorRecord>> replaceAll(Connection c, List<OriginatorRecord> records) throws SQLException {
    long now = Jdbc.nanos(clock.instant());
    List<Optional<OriginatorRecord>> out = new java.util.ArrayList<>(java.util.Collections.nCopies(records.size(),
        Optional.<OriginatorRecord>empty()));
    List<Integer> firsts = new java.util.ArrayList<>();
    List<Integer> later = new java.util.ArrayList<>();
    String[] pairOf = new String[records.size()];
    Set<String> pairs = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      OriginatorRecord r = records.get(i);
      pairOf[i] = key(r.customer().e164(), r.business().key());
      (pairs.add(pairOf[i]) ? firsts : later).add(i);
    }
    if (firsts.size() == 1) {
      out.set(firsts.get(0), replaceOne(c, records.get(firsts.get(0)), now));
    } else {
      int n = firsts.size();
      Object[][] columns = new Object[8][n];
      for (int k = 0; k < n; k++) {
        OriginatorRecord r = records.get(firsts.get(k));
        columns[0][k] = r.customer().e164();
        columns[1][k] = r.business().key();
        columns[2][k] = Jdbc.originatorRef(r.business());
        columns[3][k] = r.agentId();
        columns[4][k] = r.outboundText();
        columns[5][k] = r.messageId();
        columns[6][k] = Jdbc.nanos(r.createdAt());
        columns[7][k] = Jdbc.nanos(r.expiresAt());
      }
      Map<String, OriginatorRecord> previous = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(REPLACE_ALL)) {
        for (int col = 0; col < 8; col++) {
          ps.setArray(col + 1, c.createArrayOf(col < 6 ? "varchar" : "int8", columns[col]));
        }
        ps.setLong(9, now);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            previous.put(key(rs.getString("customer"), rs.getString("business")), read(rs));
          }
        }
      }
      for (int i : firsts) {
        out.set(i, Optional.ofNullable(previous.get(pairOf[i])));
      }
    }
    for (int i : later) {
      out.set(i, replaceOne(c, records.get(i), now));
    }
    return out;
  }

  private GroupCommit.Statement<Integer> upsert(OriginatorRecord record) {
    return new GroupCommit.Statement<>(upsert, ps -> bindUpsert(ps, record, 0), count -> count);
  }

  /** Binds the upsert's eight parameters after the first {@code offset} ones. */
  private static void bindUpsert(PreparedStatement ps, OriginatorRecord record, int offset) throws SQLException {
    ps.setString(offset + 1, record.customer().e164());
    ps.setString(offset + 2, record.business().key());
    ps.setString(offset + 3, Jdbc.originatorRef(record.business()));
    ps.setString(offset + 4, record.agentId());
    Jdbc.setNullableString(ps, offset + 5, record.outboundText());
    Jdbc.setNullableString(ps, offset + 6, record.messageId());
    ps.setLong(offset + 7, Jdbc.nanos(record.createdAt()));
    ps.setLong(offset + 8, Jdbc.nanos(record.expiresAt()));
  }

  @Override
  public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    if (lookups != null) {
      return Optional.ofNullable(lookups.get(key(customer.e164(), business.key())));
    }
    long now = Jdbc.nanos(clock.instant());
    return jdbc.run("originator find", c -> find(c, customer, business, now));
  }

  private static String key(String customer, String business) {
    return customer + '|' + business;
  }

  /**
   * The live records of {@code keys} (customer|business) in one query, by the customers' numbers (the primary key's
   * first column); the time is read when the query runs, after every caller of the batch called.
   */
  private Map<String, OriginatorRecord> findAll(List<String> keys) {
    Set<String> customers = new LinkedHashSet<>();
    for (String k : keys) {
      customers.add(k.substring(0, k.indexOf('|')));
    }
    Set<String> wanted = new HashSet<>(keys);
    long now = Jdbc.nanos(clock.instant());
    return jdbc.run("originator find", c -> {
      try (PreparedStatement ps = c.prepareStatement(FIND_ALL)) {
        ps.setArray(1, c.createArrayOf("varchar", customers.toArray()));
        ps.setLong(2, now);
        Map<String, OriginatorRecord> found = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String k = key(rs.getString("customer"), rs.getString("business"));
            if (wanted.contains(k)) {
              found.put(k, read(rs));
            }
          }
        }
        return found;
      }
    });
  }

  private static Optional<OriginatorRecord> find(Connection c, PhoneNumber customer, Originator business, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
        + " FROM sms_originator WHERE customer = ? AND business = ? AND expires_at > ?")) {
      ps.setString(1, customer.e164());
      ps.setString(2, business.key());
      ps.setLong(3, now);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(read(rs));
      }
    }
  }

  private static OriginatorRecord read(ResultSet rs) throws SQLException {
    return new OriginatorRecord(PhoneNumber.of(rs.getString("customer")),
        Jdbc.originator(rs.getString("business_ref")), rs.getString("agent_id"), rs.getString("outbound_text"),
        rs.getString("message_id"), Jdbc.instant(rs.getLong("created_at")), Jdbc.instant(rs.getLong("expires_at")));
  }

  @Override
  public boolean remove(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    long now = Jdbc.nanos(clock.instant());
    // An expired row counts as absent, as it does for find; it is deleted all the same.
    return jdbc.run("originator remove", c -> {
      int live;
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM sms_originator WHERE customer = ? AND business = ? AND expires_at > ?")) {
        ps.setString(1, customer.e164());
        ps.setString(2, business.key());
        ps.setLong(3, now);
        live = ps.executeUpdate();
      }
      if (live == 0) {
        try (PreparedStatement ps = c.prepareStatement(
            "DELETE FROM sms_originator WHERE customer = ? AND business = ?")) {
          ps.setString(1, customer.e164());
          ps.setString(2, business.key());
          ps.executeUpdate();
        }
      }
      return live > 0;
    });
  }

  @Override
  public int purgeExpired() {
    long now = Jdbc.nanos(clock.instant());
    return jdbc.run("originator purge", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_originator WHERE expires_at <= ?")) {
        ps.setLong(1, now);
        return ps.executeUpdate();
      }
    });
  }
}
