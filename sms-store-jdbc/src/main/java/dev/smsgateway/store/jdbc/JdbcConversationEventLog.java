package dev.smsgateway.store.jdbc;

import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEventLog;
import dev.smsgateway.events.EventCursor;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The event log in {@code sms_event_stream} (per stream: last position), {@code sms_event} and
 * {@code sms_event_cursor} (per stream: the position delivered last, and the claim being delivered with its lease).
 * An append locks its stream's row for the length of its transaction (the {@code UPDATE} of {@code last_seq}), so two
 * appends to one stream take turns and a reader never sees position n+1 before n. On PostgreSQL the append is a single
 * statement that also sends {@code NOTIFY sms_events} with the stream as payload, delivered to listeners at commit.
 */
final class JdbcConversationEventLog implements ConversationEventLog {

  /** The PostgreSQL notification channel. */
  static final String CHANNEL = "sms_events";

  private static final String COLUMNS = "stream, seq, event_type, conversation_id, message_id, detail, at_time";

  private final Jdbc jdbc;
  private final String createStream;

  JdbcConversationEventLog(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.createStream = jdbc.dialect() == Dialect.POSTGRESQL
        ? "INSERT INTO sms_event_stream (stream, last_seq, delivered_seq) VALUES (?, 0, 0) ON CONFLICT DO NOTHING"
        // H2: a racing insert of the same stream fails with a unique violation, which Jdbc.run retries
        : "INSERT INTO sms_event_stream (stream, last_seq, delivered_seq) SELECT CAST(? AS VARCHAR(256)), 0, 0"
            + " WHERE NOT EXISTS (SELECT 1 FROM sms_event_stream WHERE stream = ?)";
  }

  @Override
  public ConversationEvent append(ConversationEvent event) {
    Objects.requireNonNull(event, "event == null");
    if (event.position() != 0) {
      throw new IllegalArgumentException("event is already published at position " + event.position());
    }
    ConversationEvent stored = tryAppend(event);
    if (stored == null) {   // the stream's first event: create its row, then append
      jdbc.run("creating an event stream", c -> {
        try (PreparedStatement ps = c.prepareStatement(createStream)) {
          ps.setString(1, event.stream());
          if (jdbc.dialect() != Dialect.POSTGRESQL) {
            ps.setString(2, event.stream());
          }
          return ps.executeUpdate();
        }
      });
      stored = tryAppend(event);
      if (stored == null) {
        throw new IllegalStateException("event stream row vanished while appending");
      }
    }
    return stored;
  }

  /** Appends in one transaction, or returns null when the stream has no row yet. */
  private ConversationEvent tryAppend(ConversationEvent event) {
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      return tryAppendPostgres(event);
    }
    return jdbc.inTransaction("appending an event", c -> {
      try (PreparedStatement up = c.prepareStatement(
          "UPDATE sms_event_stream SET last_seq = last_seq + 1 WHERE stream = ?")) {
        up.setString(1, event.stream());
        if (up.executeUpdate() == 0) {
          return null;
        }
      }
      long position;
      try (PreparedStatement q = c.prepareStatement("SELECT last_seq FROM sms_event_stream WHERE stream = ?")) {
        q.setString(1, event.stream());
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          position = rs.getLong(1);
        }
      }
      ConversationEvent stored = event.withPosition(position);
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO sms_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ins.setString(1, stored.stream());
        ins.setLong(2, position);
        ins.setString(3, stored.type().name());
        ins.setString(4, stored.conversationId());
        Jdbc.setNullableString(ins, 5, stored.messageId());
        Jdbc.setNullableString(ins, 6, stored.detail());
        ins.setLong(7, Jdbc.nanos(stored.at()));
        ins.executeUpdate();
      }
      return stored;
    });
  }

  /**
   * PostgreSQL: one statement (its own transaction, one round trip) moves the stream's last position, inserts the event
   * there and queues the notification, which PostgreSQL sends at commit with the stream as payload (the listener reads
   * the rows). The row lock of the UPDATE is held until that commit, so appends to one stream take turns.
   */
  private ConversationEvent tryAppendPostgres(ConversationEvent event) {
    return jdbc.run("appending an event", c -> {
      try (PreparedStatement ps = c.prepareStatement("WITH s AS (UPDATE sms_event_stream SET last_seq = last_seq + 1"
          + " WHERE stream = ? RETURNING stream, last_seq), i AS (INSERT INTO sms_event (" + COLUMNS + ")"
          + " SELECT s.stream, s.last_seq, ?, ?, ?, ?, ? FROM s RETURNING stream, seq)"
          + " SELECT i.seq, pg_notify('" + CHANNEL + "', i.stream) FROM i")) {
        ps.setString(1, event.stream());
        ps.setString(2, event.type().name());
        ps.setString(3, event.conversationId());
        Jdbc.setNullableString(ps, 4, event.messageId());
        Jdbc.setNullableString(ps, 5, event.detail());
        ps.setLong(6, Jdbc.nanos(event.at()));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? event.withPosition(rs.getLong(1)) : null;
        }
      }
    });
  }

  @Override
  public List<ConversationEvent> readAfter(String stream, long afterPosition, int limit) {
    Objects.requireNonNull(stream, "stream == null");
    return jdbc.run("reading events", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
          + " FROM sms_event WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?")) {
        ps.setString(1, stream);
        ps.setLong(2, afterPosition);
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          List<ConversationEvent> out = new ArrayList<>();
          while (rs.next()) {
            out.add(new ConversationEvent(rs.getString(1), rs.getLong(2),
                ConversationEvent.Type.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6),
                Jdbc.instant(rs.getLong(7))));
          }
          return out;
        }
      }
    });
  }

  @Override
  public EventCursor cursor(String stream) {
    Objects.requireNonNull(stream, "stream == null");
    return jdbc.run("reading an event cursor", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT delivered_seq, claim_owner, claimed_seq, lease_until"
          + " FROM sms_event_cursor WHERE stream = ?")) {
        ps.setString(1, stream);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return EventCursor.NONE;
          }
          String owner = rs.getString(2);
          return new EventCursor(rs.getLong(1), owner, owner == null ? 0 : rs.getLong(3),
              owner == null ? null : Jdbc.instant(rs.getLong(4)));
        }
      }
    });
  }

  @Override
  public boolean claim(String stream, long delivered, long through, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(stream, "stream == null");
    Objects.requireNonNull(owner, "owner == null");
    if (through <= delivered) {
      return false;
    }
    boolean claimed = jdbc.run("claiming events", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_event_cursor SET claim_owner = ?, claimed_seq = ?,"
          + " lease_until = ? WHERE stream = ? AND delivered_seq = ?"
          + " AND (claim_owner IS NULL OR claim_owner = ? OR lease_until <= ?)")) {
        ps.setString(1, owner);
        ps.setLong(2, through);
        ps.setLong(3, Jdbc.nanos(leaseUntil));
        ps.setString(4, stream);
        ps.setLong(5, delivered);
        ps.setString(6, owner);
        ps.setLong(7, Jdbc.nanos(now));
        return ps.executeUpdate() == 1;
      }
    });
    if (claimed || delivered != 0) {
      return claimed;
    }
    // Maybe the stream's first claim: its cursor row is created with the claim (a racing creator wins, this one loses)
    return jdbc.run("claiming events", c -> {
      String insert = jdbc.dialect() == Dialect.POSTGRESQL
          ? "INSERT INTO sms_event_cursor (stream, delivered_seq, claim_owner, claimed_seq, lease_until)"
              + " VALUES (?, 0, ?, ?, ?) ON CONFLICT DO NOTHING"
          : "INSERT INTO sms_event_cursor (stream, delivered_seq, claim_owner, claimed_seq, lease_until)"
              + " SELECT CAST(? AS VARCHAR(256)), 0, CAST(? AS VARCHAR(512)), ?, ?"
              + " WHERE NOT EXISTS (SELECT 1 FROM sms_event_cursor WHERE stream = ?)";
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        ps.setString(1, stream);
        ps.setString(2, owner);
        ps.setLong(3, through);
        ps.setLong(4, Jdbc.nanos(leaseUntil));
        if (jdbc.dialect() != Dialect.POSTGRESQL) {
          ps.setString(5, stream);
        }
        return ps.executeUpdate() == 1;
      } catch (java.sql.SQLException e) {
        if (jdbc.dialect() != Dialect.POSTGRESQL && "23505".equals(e.getSQLState())) {
          return false;   // H2: a racing insert of the same stream won
        }
        throw e;
      }
    });
  }

  @Override
  public boolean acknowledge(String stream, String owner, long delivered, Instant leaseUntil) {
    Objects.requireNonNull(stream, "stream == null");
    Objects.requireNonNull(owner, "owner == null");
    return jdbc.run("acknowledging events", c -> {
      // Every right-hand side reads the row as it was: the claim ends when this is its last position.
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_event_cursor SET"
          + " delivered_seq = GREATEST(delivered_seq, CAST(? AS BIGINT)),"
          + " claim_owner = CASE WHEN claimed_seq <= ? THEN NULL ELSE claim_owner END,"
          + " lease_until = CASE WHEN claimed_seq <= ? THEN CAST(0 AS BIGINT) ELSE CAST(? AS BIGINT) END,"
          + " claimed_seq = CASE WHEN claimed_seq <= ? THEN CAST(0 AS BIGINT) ELSE claimed_seq END"
          + " WHERE stream = ? AND claim_owner = ?")) {
        ps.setLong(1, delivered);
        ps.setLong(2, delivered);
        ps.setLong(3, delivered);
        ps.setLong(4, Jdbc.nanos(leaseUntil));
        ps.setLong(5, delivered);
        ps.setString(6, stream);
        ps.setString(7, owner);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    return jdbc.run("purging events", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_event WHERE at_time < ?")) {
        ps.setLong(1, Jdbc.nanos(cutoff));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public String toString() {
    return "JdbcConversationEventLog{dialect=" + jdbc.dialect() + "}";
  }
}
