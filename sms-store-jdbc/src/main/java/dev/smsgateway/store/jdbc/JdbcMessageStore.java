package dev.smsgateway.store.jdbc;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ProviderLink;
import dev.smsgateway.store.ReportMerge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link MessageStore} on JDBC. Claims and marks are rows whose primary key is the key: the first insert wins, and an
 * expired row is taken over by an update conditional on its expiry, so exactly one of two gateways wins either way.
 * Delivery reports merge by optimistic concurrency: on a record this store committed lately, with an update
 * conditional on every column still holding it; otherwise on the row version read. Parked reports are taken by
 * deleting them: a report goes to the one taker whose delete removed it. Reports come back oldest first by the time
 * they happened, then in the order they were parked. Counters are rows added to by one atomic upsert that returns the
 * new total ({@code INSERT ... ON CONFLICT ... RETURNING} on PostgreSQL, {@code MERGE} read through {@code FINAL
 * TABLE} on H2).
 *
 * <p>Thread-safe.
 */
final class JdbcMessageStore implements MessageStore, AutoCloseable {

  private static final String MESSAGE_COLUMNS = "message_id, provider, recipient, sender_ref, parts, status,"
      + " part_statuses, error_code, created_at, updated_at";

  private final Jdbc jdbc;
  private final Clock clock;
  private final String insertIfAbsentClaim;
  private final String insertIfAbsentSeen;
  private final String upsertMessage;
  private final String upsertLink;
  // PostgreSQL: a sent record and all its links in one statement (null on H2: two statements there)
  private final String recordSent;
  private final String addToCounter;

  // reports that overtook their send's link, parked until the send takes them
  private final JdbcParkedReports parked;

  // records committed lately: a report merges on top of one with a single conditional update (no read)
  private final RecentRecords recent = new RecentRecords(16_384);

  /** The merge's update when the row still holds the remembered record: every column compared. */
  private static final String MERGE_IF_UNCHANGED = "UPDATE sms_message SET status = ?, part_statuses = ?,"
      + " error_code = ?, updated_at = ?, row_version = row_version + 1 WHERE message_id = ?"
      + " AND provider IS NOT DISTINCT FROM ? AND recipient = ? AND sender_ref IS NOT DISTINCT FROM ? AND parts = ?"
      + " AND status = ? AND part_statuses = ? AND error_code IS NOT DISTINCT FROM ? AND created_at = ?"
      + " AND updated_at = ?";

  JdbcMessageStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
    boolean pg = jdbc.dialect() == Dialect.POSTGRESQL;
    // H2 has no ON CONFLICT outside its PostgreSQL mode: a plain insert whose unique violation we catch.
    String ignore = pg ? " ON CONFLICT DO NOTHING" : "";
    this.insertIfAbsentClaim = "INSERT INTO sms_idempotency (idem_key, message_id, expires_at) VALUES (?, ?, ?)"
        + ignore;
    this.insertIfAbsentSeen = "INSERT INTO sms_seen (seen_key, expires_at) VALUES (?, ?)" + ignore;
    this.upsertMessage = pg
        ? "INSERT INTO sms_message (" + MESSAGE_COLUMNS + ", row_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
            + " ON CONFLICT (message_id) DO UPDATE SET provider = EXCLUDED.provider, recipient = EXCLUDED.recipient,"
            + " sender_ref = EXCLUDED.sender_ref, parts = EXCLUDED.parts, status = EXCLUDED.status,"
            + " part_statuses = EXCLUDED.part_statuses, error_code = EXCLUDED.error_code,"
            + " created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,"
            + " row_version = sms_message.row_version + 1"
        : "MERGE INTO sms_message t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR(16)),"
            + " CAST(? AS VARCHAR(96)), CAST(? AS INTEGER), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR),"
            + " CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS BIGINT))) s(" + MESSAGE_COLUMNS + ")"
            + " ON t.message_id = s.message_id WHEN MATCHED THEN UPDATE SET provider = s.provider,"
            + " recipient = s.recipient, sender_ref = s.sender_ref, parts = s.parts, status = s.status,"
            + " part_statuses = s.part_statuses, error_code = s.error_code, created_at = s.created_at,"
            + " updated_at = s.updated_at, row_version = t.row_version + 1"
            + " WHEN NOT MATCHED THEN INSERT (" + MESSAGE_COLUMNS + ", row_version) VALUES (s.message_id,"
            + " s.provider, s.recipient, s.sender_ref, s.parts, s.status, s.part_statuses, s.error_code,"
            + " s.created_at, s.updated_at, 1)";
    this.upsertLink = pg
        ? "INSERT INTO sms_provider_link (provider, provider_message_id, message_id, part) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (provider, provider_message_id) DO UPDATE SET message_id = EXCLUDED.message_id,"
            + " part = EXCLUDED.part"
        : "MERGE INTO sms_provider_link (provider, provider_message_id, message_id, part)"
            + " KEY (provider, provider_message_id) VALUES (?, ?, ?, ?)";
    // The message's upsert as a CTE (it runs whether or not there are links), then its links from one array: a
    // provider id that came back for two parts links the later part, as one upsert per id in order would leave it.
    this.recordSent = pg
        ? "WITH m AS (" + upsertMessage + ") INSERT INTO sms_provider_link (provider, provider_message_id, message_id,"
            + " part) SELECT DISTINCT ON (l.id) CAST(? AS VARCHAR), l.id, CAST(? AS VARCHAR), CAST(l.n - 1 AS INTEGER)"
            + " FROM unnest(?::varchar[]) WITH ORDINALITY AS l(id, n) ORDER BY l.id, l.n DESC"
            + " ON CONFLICT (provider, provider_message_id) DO UPDATE SET message_id = EXCLUDED.message_id,"
            + " part = EXCLUDED.part"
        : null;
    // One atomic upsert that returns the new total; an expired counter restarts from the delta. Parameters: key,
    // delta, expiresAt, now. Two first insertions racing on H2: the loser's unique violation is retried by Jdbc.run.
    this.addToCounter = pg
        ? "INSERT INTO sms_counter (counter_key, total, expires_at) VALUES (?, ?, ?) ON CONFLICT (counter_key)"
            + " DO UPDATE SET total = CASE WHEN sms_counter.expires_at <= ? THEN EXCLUDED.total"
            + " ELSE sms_counter.total + EXCLUDED.total END, expires_at = EXCLUDED.expires_at RETURNING total"
        : "SELECT total FROM FINAL TABLE (MERGE INTO sms_counter t USING (VALUES (CAST(? AS VARCHAR),"
            + " CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))) s(counter_key, delta, expires_at, now_at)"
            + " ON t.counter_key = s.counter_key WHEN MATCHED THEN UPDATE SET total = CASE"
            + " WHEN t.expires_at <= s.now_at THEN s.delta ELSE t.total + s.delta END, expires_at = s.expires_at"
            + " WHEN NOT MATCHED THEN INSERT (counter_key, total, expires_at)"
            + " VALUES (s.counter_key, s.delta, s.expires_at))";
    this.parked = new JdbcParkedReports(jdbc, clock);
  }

  @Override
  public void recordSent(MessageRecord record, String linkProvider, List<String> providerMessageIds) {
    try {
      recordSentAsync(record, linkProvider, providerMessageIds).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * The record and its links as one write in the next group commit (their rows batched with the concurrent writes'
   * of the same statements); the future completes on the committing thread, as the gateway hands off at once.
   */
  @Override
  public java.util.concurrent.CompletableFuture<Void> recordSentAsync(MessageRecord record, String linkProvider,
      List<String> providerMessageIds) {
    Objects.requireNonNull(record, "record == null");
    Objects.requireNonNull(providerMessageIds, "providerMessageIds == null");
    List<String> ids = List.copyOf(providerMessageIds);
    if (!ids.isEmpty()) {
      Objects.requireNonNull(linkProvider, "linkProvider == null");
    }
    if (recordSent != null) {
      // one statement: batched with the group's other sent records, one round trip for all of them
      GroupCommit.Statement<Integer> sent = new GroupCommit.Statement<>(recordSent, ps -> {
        bindMessage(ps, record);
        Jdbc.setNullableString(ps, 11, linkProvider);
        ps.setString(12, record.messageId());
        ps.setArray(13, ps.getConnection().createArrayOf("varchar", ids.toArray()));
      }, count -> count);
      return jdbc.writeAllAsync("message sent", List.of(sent)).thenRun(() -> recent.put(record));
    }
    List<GroupCommit.Statement<?>> statements = new ArrayList<>(1 + ids.size());
    statements.add(new GroupCommit.Statement<>(upsertMessage, ps -> bindMessage(ps, record), count -> count));
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      int part = i;
      statements.add(new GroupCommit.Statement<>(upsertLink, ps -> {
        ps.setString(1, linkProvider);
        ps.setString(2, id);
        ps.setString(3, record.messageId());
        ps.setInt(4, part);
      }, count -> count));
    }
    return jdbc.writeAllAsync("message sent", statements).thenRun(() -> recent.put(record));
  }

  /** Nothing of its own to close: its writes are the stores' group commit, written before {@link JdbcStores} closes. */
  @Override
  public void close() {}

  @Override
  public Optional<String> claimIdempotencyKey(String key, String messageId, java.time.Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    long now = Jdbc.nanos(clock.instant());
    return jdbc.run("idempotency claim", c -> {
      while (true) {
        if (insertIfAbsent(c, insertIfAbsentClaim, key, messageId, Jdbc.nanos(expiresAt))) {
          return Optional.<String>empty();
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sms_idempotency SET message_id = ?, expires_at = ? WHERE idem_key = ? AND expires_at <= ?")) {
          ps.setString(1, messageId);
          ps.setLong(2, Jdbc.nanos(expiresAt));
          ps.setString(3, key);
          ps.setLong(4, now);
          if (ps.executeUpdate() == 1) {
            return Optional.<String>empty();
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT message_id FROM sms_idempotency WHERE idem_key = ? AND expires_at > ?")) {
          ps.setString(1, key);
          ps.setLong(2, now);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              String holder = rs.getString(1);
              return holder.equals(messageId) ? Optional.<String>empty() : Optional.of(holder);
            }
          }
        }
        // The holder's row vanished (purged) between our statements: try again.
      }
    });
  }

  private boolean insertIfAbsent(Connection c, String sql, String key, String messageId, long expiresAt)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, key);
      if (messageId != null) {
        ps.setString(i++, messageId);
      }
      ps.setLong(i, expiresAt);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (Jdbc.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void save(MessageRecord record) {
    Objects.requireNonNull(record, "record == null");
    jdbc.run("message save", c -> {
      try (PreparedStatement ps = c.prepareStatement(upsertMessage)) {
        bindMessage(ps, record);
        return ps.executeUpdate();
      }
    });
    recent.put(record);
  }

  private static void bindMessage(PreparedStatement ps, MessageRecord r) throws SQLException {
    bindMessage(ps, r, 0);
  }

  /** The record's columns in {@code MESSAGE_COLUMNS} order, after the first {@code offset} parameters. */
  private static void bindMessage(PreparedStatement ps, MessageRecord r, int offset) throws SQLException {
    ps.setString(offset + 1, r.messageId());
    Jdbc.setNullableString(ps, offset + 2, r.provider());
    ps.setString(offset + 3, r.to().e164());
    Jdbc.setNullableString(ps, offset + 4, Jdbc.originatorRef(r.from()));
    ps.setInt(offset + 5, r.parts());
    ps.setString(offset + 6, r.status().name());
    ps.setString(offset + 7, partStatuses(r));
    Jdbc.setNullableString(ps, offset + 8, r.errorCode());
    ps.setLong(offset + 9, Jdbc.nanos(r.createdAt()));
    ps.setLong(offset + 10, Jdbc.nanos(r.updatedAt()));
  }

  @Override
  public Optional<MessageRecord> find(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return jdbc.run("message find", c -> load(c, messageId).map(Versioned::record));
  }

  private record Versioned(MessageRecord record, long version) {}

  private static Optional<Versioned> load(Connection c, String messageId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + MESSAGE_COLUMNS + ", row_version FROM sms_message WHERE message_id = ?")) {
      ps.setString(1, messageId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        List<DeliveryStatus> parts = Arrays.stream(rs.getString("part_statuses").split(","))
            .map(DeliveryStatus::valueOf).toList();
        MessageRecord record = new MessageRecord(rs.getString("message_id"), rs.getString("provider"),
            PhoneNumber.of(rs.getString("recipient")), Jdbc.originator(rs.getString("sender_ref")), rs.getInt("parts"),
            DeliveryStatus.valueOf(rs.getString("status")), parts, rs.getString("error_code"),
            Jdbc.instant(rs.getLong("created_at")), Jdbc.instant(rs.getLong("updated_at")));
        return Optional.of(new Versioned(record, rs.getLong("row_version")));
      }
    }
  }

  @Override
  public void linkProviderIds(String messageId, String provider, List<String> providerMessageIds) {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageIds, "providerMessageIds == null");
    List<String> ids = List.copyOf(providerMessageIds);
    jdbc.inTransaction("provider link", c -> {
      try (PreparedStatement ps = c.prepareStatement(upsertLink)) {
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(1, provider);
          ps.setString(2, ids.get(i));
          ps.setString(3, messageId);
          ps.setInt(4, i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Optional<ProviderLink> findLink(String provider, String providerMessageId) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageId, "providerMessageId == null");
    return jdbc.run("provider link find", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT message_id, part FROM sms_provider_link WHERE provider = ? AND provider_message_id = ?")) {
        ps.setString(1, provider);
        ps.setString(2, providerMessageId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new ProviderLink(rs.getString(1), rs.getInt(2))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<MessageRecord> applyReport(String messageId, int part, DeliveryStatus status, String errorCode,
      java.time.Instant at) {
    return mergeReport(messageId, part, status, errorCode, at).map(ReportMerge::record);
  }

  /**
   * When this store committed the record lately: one update conditional on the row still holding it (every column),
   * group-committed in a batch with the concurrent writes. Otherwise, or when that update finds the row changed: one
   * read, then an update conditional on the row version read (again when another writer came first).
   */
  @Override
  public Optional<ReportMerge> mergeReport(String messageId, int part, DeliveryStatus status, String errorCode,
      java.time.Instant at) {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(at, "at == null");
    MessageRecord known = recent.get(messageId);
    if (known != null) {
      MessageRecord after = known.merge(part, status, errorCode, at);
      // an unchanged merge is answered from the row (the remembered record may be behind it)
      if (after != known && jdbc.write("delivery report merge", mergeIfUnchanged(known, after))) {
        recent.put(after);
        return Optional.of(new ReportMerge(after, !after.equals(known)));
      }
      recent.forget(known);
    }
    Optional<ReportMerge> merged = mergeByVersion(messageId, part, status, errorCode, at);
    merged.ifPresent(m -> recent.put(m.record()));
    return merged;
  }

  /**
   * {@link #mergeReport} in the next group commit, without blocking the caller: the conditional update on top of the
   * record this store committed lately; when the row changed meanwhile (or is not remembered), the read and versioned
   * update in a later group. The future completes after the commit, on the stores' completion threads.
   */
  @Override
  public java.util.concurrent.CompletableFuture<Optional<ReportMerge>> mergeReportAsync(String messageId, int part,
      DeliveryStatus status, String errorCode, java.time.Instant at) {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(at, "at == null");
    MessageRecord known = recent.get(messageId);
    if (known != null) {
      MessageRecord after = known.merge(part, status, errorCode, at);
      if (after != known) {
        return jdbc.writeAsync("delivery report merge", mergeIfUnchanged(known, after)).thenCompose(merged -> {
          if (merged) {
            recent.put(after);
            return java.util.concurrent.CompletableFuture.completedFuture(
                Optional.of(new ReportMerge(after, !after.equals(known))));
          }
          recent.forget(known);
          return mergeByVersionAsync(messageId, part, status, errorCode, at);
        });
      }
      recent.forget(known); // an unchanged merge is answered from the row (the remembered record may be behind it)
    }
    return mergeByVersionAsync(messageId, part, status, errorCode, at);
  }

  private java.util.concurrent.CompletableFuture<Optional<ReportMerge>> mergeByVersionAsync(String messageId,
      int part, DeliveryStatus status, String errorCode, java.time.Instant at) {
    return jdbc.writeAsync("delivery report merge", c -> mergeByVersion(c, messageId, part, status, errorCode, at))
        .thenApply(merged -> {
          merged.ifPresent(m -> recent.put(m.record()));
          return merged;
        });
  }

  private static GroupCommit.Statement<Boolean> mergeIfUnchanged(MessageRecord before, MessageRecord after) {
    return new GroupCommit.Statement<>(MERGE_IF_UNCHANGED, ps -> {
      ps.setString(1, after.status().name());
      ps.setString(2, partStatuses(after));
      Jdbc.setNullableString(ps, 3, after.errorCode());
      ps.setLong(4, Jdbc.nanos(after.updatedAt()));
      bindMessage(ps, before, 4); // the WHERE compares every column, in MESSAGE_COLUMNS order
    }, count -> count == 1);
  }

  private static String partStatuses(MessageRecord r) {
    return r.partStatuses().stream().map(Enum::name).collect(Collectors.joining(","));
  }

  private Optional<ReportMerge> mergeByVersion(String messageId, int part, DeliveryStatus status, String errorCode,
      java.time.Instant at) {
    return jdbc.write("delivery report merge", c -> mergeByVersion(c, messageId, part, status, errorCode, at));
  }

  private Optional<ReportMerge> mergeByVersion(Connection c, String messageId, int part, DeliveryStatus status,
      String errorCode, java.time.Instant at) throws SQLException {
    for (int attempt = 0; attempt < Jdbc.MAX_ATTEMPTS * 20; attempt++) {
      Optional<Versioned> current = load(c, messageId);
      if (current.isEmpty()) {
        return Optional.<ReportMerge>empty();
      }
      MessageRecord before = current.get().record();
      MessageRecord after = before.merge(part, status, errorCode, at);
      if (after == before) {
        return Optional.of(new ReportMerge(before, false));
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_message SET status = ?, part_statuses = ?,"
          + " error_code = ?, updated_at = ?, row_version = row_version + 1"
          + " WHERE message_id = ? AND row_version = ?")) {
        ps.setString(1, after.status().name());
        ps.setString(2, partStatuses(after));
        Jdbc.setNullableString(ps, 3, after.errorCode());
        ps.setLong(4, Jdbc.nanos(after.updatedAt()));
        ps.setString(5, messageId);
        ps.setLong(6, current.get().version());
        if (ps.executeUpdate() == 1) {
          return Optional.of(new ReportMerge(after, !after.equals(before)));
        }
      }
      // Another writer merged first: merge again on top of its result.
    }
    throw new SQLException("delivery report merge kept losing to concurrent writers", "40001");
  }

  @Override
  public void park(DeliveryReport report, java.time.Instant expiresAt) {
    parked.park(report, expiresAt);
  }

  @Override
  public List<DeliveryReport> takeParked(String provider, String providerMessageId) {
    return parked.take(provider, providerMessageId);
  }

  /** {@link #takeParked} in the next group commit (see {@link JdbcParkedReports#takeAsync}). */
  @Override
  public java.util.concurrent.CompletableFuture<List<DeliveryReport>> takeParkedAsync(String provider,
      String providerMessageId) {
    return parked.takeAsync(provider, providerMessageId);
  }

  @Override
  public boolean markSeen(String key, java.time.Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      // the common case, a new key: one row in a group's batch of inserts (ON CONFLICT DO NOTHING raises no error)
      boolean inserted = jdbc.write("seen mark", new GroupCommit.Statement<>(insertIfAbsentSeen, ps -> {
        ps.setString(1, key);
        ps.setLong(2, Jdbc.nanos(expiresAt));
      }, count -> count == 1));
      if (inserted) {
        return true;
      }
    }
    long now = Jdbc.nanos(clock.instant());
    return jdbc.write("seen mark", c -> {
      while (true) {
        if (insertIfAbsent(c, insertIfAbsentSeen, key, null, Jdbc.nanos(expiresAt))) {
          return true;
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sms_seen SET expires_at = ? WHERE seen_key = ? AND expires_at <= ?")) {
          ps.setLong(1, Jdbc.nanos(expiresAt));
          ps.setString(2, key);
          ps.setLong(3, now);
          if (ps.executeUpdate() == 1) {
            return true;
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sms_seen WHERE seen_key = ?")) {
          ps.setString(1, key);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return false;
            }
          }
        }
        // Unmarked between our statements: try to take it again.
      }
    });
  }

  @Override
  public void unmarkSeen(String key) {
    Objects.requireNonNull(key, "key == null");
    jdbc.run("seen unmark", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_seen WHERE seen_key = ?")) {
        ps.setString(1, key);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public long addToCounter(String key, long delta, java.time.Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    long now = Jdbc.nanos(clock.instant());
    return jdbc.run("counter add", c -> {
      try (PreparedStatement ps = c.prepareStatement(addToCounter)) {
        ps.setString(1, key);
        ps.setLong(2, delta);
        ps.setLong(3, Jdbc.nanos(expiresAt));
        ps.setLong(4, now);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("the counter upsert returned no row");
          }
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public long counter(String key) {
    Objects.requireNonNull(key, "key == null");
    long now = Jdbc.nanos(clock.instant());
    return jdbc.run("counter read", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT total FROM sms_counter WHERE counter_key = ? AND expires_at > ?")) {
        ps.setString(1, key);
        ps.setLong(2, now);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  @Override
  public int purgeExpired() {
    long now = Jdbc.nanos(clock.instant());
    return jdbc.run("message store purge", c -> {
      int total = 0;
      for (String table : List.of("sms_idempotency", "sms_seen", "sms_parked_report", "sms_counter")) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE expires_at <= ?")) {
          ps.setLong(1, now);
          total += ps.executeUpdate();
        }
      }
      return total;
    });
  }
}
