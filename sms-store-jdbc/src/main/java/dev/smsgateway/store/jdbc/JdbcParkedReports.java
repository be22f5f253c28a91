package dev.smsgateway.store.jdbc;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The delivery reports that overtook their send's provider link ({@code sms_parked_report}), for
 * {@link JdbcMessageStore#park} and {@link JdbcMessageStore#takeParked}: parked until the send that links them takes
 * them, or until they expire. Thread-safe.
 */
final class JdbcParkedReports {

  /**
   * The batched take (PostgreSQL): one delete of every parked report of the keys, returning what it removed; each row
   * goes to the one caller whose key it matched (see {@link ReadBatch#exclusive}).
   */
  static final String TAKE_ALL = "DELETE FROM sms_parked_report p USING unnest(?::varchar[], ?::varchar[])"
      + " AS k(provider, provider_message_id) WHERE p.provider = k.provider"
      + " AND p.provider_message_id = k.provider_message_id RETURNING p.seq, p.provider, p.provider_message_id,"
      + " p.message_id, p.status, p.raw_status, p.error_code, p.occurred_at, p.part, p.expires_at";

  private record ParkedKey(String provider, String providerMessageId) {}

  private final Jdbc jdbc;
  private final Clock clock;
  // PostgreSQL: the takes of concurrent sends (most find nothing parked) share one statement
  private final ReadBatch<ParkedKey, List<DeliveryReport>> takes;
  // PostgreSQL: the asynchronous takes of one group commit, in one statement
  private final GroupCommit.Combiner<ParkedKey, List<DeliveryReport>> groupTakes = this::takeGroup;

  JdbcParkedReports(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.takes = jdbc.dialect() == Dialect.POSTGRESQL ? ReadBatch.exclusive(64, this::takeAll) : null;
  }

  void park(DeliveryReport report, java.time.Instant expiresAt) {
    Objects.requireNonNull(report, "report == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    jdbc.run("delivery report park", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_parked_report (provider, provider_message_id,"
          + " message_id, status, raw_status, error_code, occurred_at, part, expires_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, report.provider());
        Jdbc.setNullableString(ps, 2, report.providerMessageId());
        Jdbc.setNullableString(ps, 3, report.messageId().orElse(null));
        ps.setString(4, report.status().name());
        Jdbc.setNullableString(ps, 5, report.rawStatus());
        Jdbc.setNullableString(ps, 6, report.errorCode().orElse(null));
        ps.setLong(7, Jdbc.nanos(report.occurredAt()));
        ps.setInt(8, report.part());
        ps.setLong(9, Jdbc.nanos(expiresAt));
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Removes and returns the reports parked for this provider id, oldest first. On PostgreSQL the takes of concurrent
   * callers are one statement ({@link #TAKE_ALL}); on H2 a read, then a delete per report. Either way a report goes to
   * the one taker whose delete removed it, and an expired one is dropped.
   */
  List<DeliveryReport> take(String provider, String providerMessageId) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageId, "providerMessageId == null");
    if (takes != null) {
      List<DeliveryReport> taken = takes.get(new ParkedKey(provider, providerMessageId));
      return taken == null ? List.of() : taken;
    }
    // One transaction holding the rows: a concurrent taker (another store on the same database) waits, then finds
    // them gone, so a key's reports all go to one taker, never some to each.
    return jdbc.inTransaction("delivery report take", c -> takeOne(c, provider, providerMessageId));
  }

  /** H2's take on {@code c}: the rows read for update, then deleted one by one (see {@link #take}). */
  private List<DeliveryReport> takeOne(Connection c, String provider, String providerMessageId)
      throws SQLException {
    long now = Jdbc.nanos(clock.instant());
    List<Long> seqs = new ArrayList<>();
    List<DeliveryReport> reports = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, provider, provider_message_id, message_id, status,"
        + " raw_status, error_code, occurred_at, part, expires_at FROM sms_parked_report"
        + " WHERE provider = ? AND provider_message_id = ? ORDER BY occurred_at, seq FOR UPDATE")) {
      ps.setString(1, provider);
      ps.setString(2, providerMessageId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong("seq"));
          reports.add(rs.getLong("expires_at") > now ? parked(rs) : null);
        }
      }
    }
    List<DeliveryReport> taken = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_parked_report WHERE seq = ?")) {
      for (int i = 0; i < seqs.size(); i++) {
        ps.setLong(1, seqs.get(i));
        // Only the taker whose delete removed the row gets the report; an expired one is dropped.
        if (ps.executeUpdate() == 1 && reports.get(i) != null) {
          taken.add(reports.get(i));
        }
      }
    }
    return taken;
  }

  /**
   * {@link #take} in the next group commit, without blocking the caller: on PostgreSQL the takes of a group are one
   * {@link #TAKE_ALL} (a key asked twice in a group gets its reports once, the first time); on H2 the read and the
   * deletes in the group's transaction. The future completes after the commit, on the stores' completion threads.
   */
  java.util.concurrent.CompletableFuture<List<DeliveryReport>> takeAsync(String provider, String providerMessageId) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(providerMessageId, "providerMessageId == null");
    ParkedKey key = new ParkedKey(provider, providerMessageId);
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      return jdbc.writeAsync("delivery report take", groupTakes, key,
          c -> takeAll(c, List.of(key)).getOrDefault(key, List.of()));
    }
    // one transaction holding the rows, also when it runs alone (as take does)
    return jdbc.writeAsync("delivery report take",
        c -> Jdbc.atomically(c, x -> takeOne(x, provider, providerMessageId)));
  }

  /** The takes of one group (PostgreSQL), in their order: one statement; a repeated key gets nothing the second time. */
  private List<List<DeliveryReport>> takeGroup(Connection c, List<ParkedKey> keys) throws SQLException {
    java.util.Map<ParkedKey, List<DeliveryReport>> taken = takeAll(c, new ArrayList<>(new java.util.LinkedHashSet<>(keys)));
    List<List<DeliveryReport>> answers = new ArrayList<>(keys.size());
    for (ParkedKey k : keys) {
      List<DeliveryReport> reports = taken.remove(k);
      answers.add(reports == null ? List.of() : reports);
    }
    return answers;
  }

  private static DeliveryReport parked(ResultSet rs) throws SQLException {
    return DeliveryReport.builder().provider(rs.getString("provider"))
        .providerMessageId(rs.getString("provider_message_id")).messageId(rs.getString("message_id"))
        .status(DeliveryStatus.valueOf(rs.getString("status"))).rawStatus(rs.getString("raw_status"))
        .errorCode(rs.getString("error_code")).occurredAt(Jdbc.instant(rs.getLong("occurred_at")))
        .part(rs.getInt("part")).build();
  }

  /** The parked reports of {@code keys}, deleted; live ones per key oldest first, then in the order parked. */
  private java.util.Map<ParkedKey, List<DeliveryReport>> takeAll(List<ParkedKey> keys) {
    return jdbc.run("delivery report take", c -> takeAll(c, keys));
  }

  /** {@link #takeAll(List)} on {@code c}. */
  private java.util.Map<ParkedKey, List<DeliveryReport>> takeAll(Connection c, List<ParkedKey> keys)
      throws SQLException {
    String[] providers = new String[keys.size()];
    String[] ids = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      providers[i] = keys.get(i).provider();
      ids[i] = keys.get(i).providerMessageId();
    }
    long now = Jdbc.nanos(clock.instant());
    record Row(long seq, long occurredAt, DeliveryReport report) {}
    java.util.Map<ParkedKey, List<Row>> rows = new java.util.HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(TAKE_ALL)) {
      ps.setArray(1, c.createArrayOf("varchar", providers));
      ps.setArray(2, c.createArrayOf("varchar", ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getLong("expires_at") <= now) {
            continue; // expired: dropped
          }
          rows.computeIfAbsent(new ParkedKey(rs.getString("provider"), rs.getString("provider_message_id")),
              k -> new ArrayList<>()).add(new Row(rs.getLong("seq"), rs.getLong("occurred_at"), parked(rs)));
        }
      }
    }
    java.util.Map<ParkedKey, List<DeliveryReport>> taken = new java.util.HashMap<>();
    rows.forEach((k, list) -> {
      list.sort(java.util.Comparator.comparingLong(Row::occurredAt).thenComparingLong(Row::seq));
      taken.put(k, list.stream().map(Row::report).toList());
    });
    return taken;
  }
}
