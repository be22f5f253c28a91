package dev.smsgateway.store.jdbc;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ConversationStore} on JDBC. "One open conversation per customer and business number" is a unique
 * constraint on a column set only while a conversation is open, so it holds across gateways sharing the database;
 * updates are conditional on the version ({@code UPDATE ... WHERE version = ?}).
 *
 * <p>Thread-safe.
 */
final class JdbcConversationStore implements ConversationStore {

  private static final String COLUMNS = "id, customer, business, business_ref, mapping_code, state, target,"
      + " opened_at, last_activity_at, ended_at, end_reason, version";

  private final Jdbc jdbc;
  private final String insertIfAbsent;
  private final String appendIfAbsent;
  private final String openWithLine; // PostgreSQL only

  JdbcConversationStore(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.insertIfAbsent = "INSERT INTO sms_conversation (" + COLUMNS + ", open_key)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + (jdbc.dialect() == Dialect.POSTGRESQL ? " ON CONFLICT DO NOTHING" : "");
    this.appendIfAbsent = "INSERT INTO sms_transcript (conversation_id, at_time, direction, author, body, message_id)"
        + " SELECT CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR),"
        + " CAST(? AS VARCHAR), CAST(? AS VARCHAR) WHERE NOT EXISTS (SELECT 1 FROM sms_transcript"
        + " WHERE conversation_id = ? AND message_id = ? AND direction = ?)";
    // The conversation and its first line in one statement: the line is inserted from the insert's RETURNING, so
    // exactly when the conversation was (0 rows when one is open for the pair already).
    this.openWithLine = "WITH opened AS (" + insertIfAbsent + " RETURNING id)"
        + " INSERT INTO sms_transcript (conversation_id, at_time, direction, author, body, message_id)"
        + " SELECT id, CAST(? AS BIGINT), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
        + " CAST(? AS VARCHAR) FROM opened";
  }

  private static String openKey(Conversation c) {
    return c.isOpen() ? c.customer().e164() + "|" + c.business().key() : null;
  }

  @Override
  public Conversation openIfAbsent(Conversation candidate) {
    Objects.requireNonNull(candidate, "candidate == null");
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      // The insert first (ON CONFLICT DO NOTHING never raises an error), in a group's batch of inserts: one statement
      // and a shared commit when the pair has no open conversation, the common case; otherwise read the winner below.
      boolean inserted = jdbc.write("conversation open", new GroupCommit.Statement<>(insertIfAbsent,
          ps -> bindOpen(ps, candidate), count -> count == 1));
      if (inserted) {
        return candidate;
      }
    }
    return jdbc.run("conversation open", c -> openOrFind(c, candidate, null));
  }

  /**
   * The pair's open conversation, or {@code candidate} inserted (with {@code firstLine} after it when not null, on the
   * same connection: in one transaction when the caller runs one).
   */
  private Conversation openOrFind(Connection c, Conversation candidate, TranscriptEntry firstLine)
      throws SQLException {
    while (true) {
      Optional<Conversation> open = findOpen(c, candidate.customer(), candidate.business());
      if (open.isPresent()) {
        return open.get();
      }
      if (insert(c, candidate)) {
        if (firstLine != null) {
          try (PreparedStatement ps = c.prepareStatement(APPEND)) {
            bindLine(ps, firstLine);
            ps.executeUpdate();
          }
        }
        return candidate;
      }
      // Lost to a concurrent open (or the id exists): read the winner. If the id clashes with an ended
      // conversation there is no winner to read, and we must not loop forever.
      Optional<Conversation> winner = findOpen(c, candidate.customer(), candidate.business());
      if (winner.isPresent()) {
        return winner.get();
      }
      if (find(c, candidate.id()).isPresent()) {
        throw new IllegalArgumentException("conversation id " + candidate.id() + " is already used");
      }
    }
  }

  /**
   * One write: on PostgreSQL one statement (the conversation's insert and, from its {@code RETURNING}, the line's) in a
   * group's batch of them, so a new conversation and its first line share one round trip and one commit; when the
   * pair has a conversation open already, that one is read as {@link #openIfAbsent(Conversation)} does. On H2 the
   * look-up, the insert and the line run in one transaction.
   */
  @Override
  public Conversation openIfAbsent(Conversation candidate, TranscriptEntry firstLine) {
    ConversationStore.checkFirstLine(candidate, firstLine);
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      boolean inserted = jdbc.write("conversation open", new GroupCommit.Statement<>(openWithLine, ps -> {
        bindOpen(ps, candidate);
        bindLineFields(ps, firstLine, 13);
      }, count -> count == 1));
      if (inserted) {
        return candidate;
      }
    }
    return jdbc.inTransaction("conversation open", c -> openOrFind(c, candidate, firstLine));
  }

  /**
   * {@link #openIfAbsent(Conversation, TranscriptEntry)} in the next group commit, without blocking the caller: on
   * PostgreSQL the same one statement; when the pair had a conversation open already, that one is read in a later
   * group (and in the rare case that it ended in between, the open runs as {@code openIfAbsent} does, on the thread
   * that got the answer). On H2 the look-up, the insert and the line in the group's transaction. The future completes
   * after the commit, on the stores' completion threads.
   */
  @Override
  public java.util.concurrent.CompletableFuture<Conversation> openIfAbsentAsync(Conversation candidate,
      TranscriptEntry firstLine) {
    ConversationStore.checkFirstLine(candidate, firstLine);
    if (jdbc.dialect() != Dialect.POSTGRESQL) {
      // one transaction, also when it runs alone: never a conversation opened without its first line
      return jdbc.writeAsync("conversation open", c -> Jdbc.atomically(c, x -> openOrFind(x, candidate, firstLine)));
    }
    return jdbc.writeAsync("conversation open", new GroupCommit.Statement<>(openWithLine, ps -> {
      bindOpen(ps, candidate);
      bindLineFields(ps, firstLine, 13);
    }, count -> count == 1)).thenCompose(inserted -> inserted
        ? java.util.concurrent.CompletableFuture.completedFuture(candidate)
        : jdbc.writeAsync("conversation find open", c -> findOpen(c, candidate.customer(), candidate.business()))
            .thenApply(open -> open.orElseGet(() -> openIfAbsent(candidate, firstLine))));
  }

  /** The conversation insert's 13 parameters (the columns, the version and the open pair's key). */
  private static void bindOpen(PreparedStatement ps, Conversation c) throws SQLException {
    bind(ps, c);
    ps.setLong(12, c.version());
    Jdbc.setNullableString(ps, 13, openKey(c));
  }

  private boolean insert(Connection c, Conversation conversation) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insertIfAbsent)) {
      bindOpen(ps, conversation);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (Jdbc.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  private static void bind(PreparedStatement ps, Conversation c) throws SQLException {
    ps.setString(1, c.id());
    ps.setString(2, c.customer().e164());
    ps.setString(3, c.business().key());
    ps.setString(4, Jdbc.originatorRef(c.business()));
    Jdbc.setNullableString(ps, 5, c.mappingCode());
    ps.setString(6, c.state().name());
    ps.setString(7, c.target().key());
    ps.setLong(8, Jdbc.nanos(c.openedAt()));
    ps.setLong(9, Jdbc.nanos(c.lastActivityAt()));
    Jdbc.setNullableInstant(ps, 10, c.endedAt());
    Jdbc.setNullableString(ps, 11, c.endReason() == null ? null : c.endReason().name());
  }

  static final String UPDATE = "UPDATE sms_conversation SET mapping_code = ?, state = ?, target = ?,"
      + " opened_at = ?, last_activity_at = ?, ended_at = ?, end_reason = ?, version = ?, open_key = ?"
      + " WHERE id = ? AND version = ? AND customer = ? AND business = ?";

  /**
   * PostgreSQL: {@link #UPDATE} and, from its {@code RETURNING}, the line's insert in one statement; the line is
   * inserted exactly when the conversation was updated (the statement's update count is 1, else 0).
   */
  static final String UPDATE_WITH_LINE = "WITH updated AS (" + UPDATE + " RETURNING id)"
      + " INSERT INTO sms_transcript (conversation_id, at_time, direction, author, body, message_id)"
      + " SELECT id, CAST(? AS BIGINT), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
      + " CAST(? AS VARCHAR) FROM updated";

  /**
   * One conditional update, in a group's batch of them. Re-opening an ended conversation while another is open for
   * the pair breaks the open key's uniqueness: the group then runs its writes one by one, and this one answers false,
   * like a lost race.
   */
  @Override
  public boolean update(Conversation updated) {
    Objects.requireNonNull(updated, "updated == null");
    GroupCommit.Binder binder = ps -> bindUpdate(ps, updated);
    return jdbc.write("conversation update", new GroupCommit.Statement<>(UPDATE, binder, count -> count == 1),
        aloneOrRefused(UPDATE, binder));
  }

  /**
   * One write: on PostgreSQL one statement (the update and, from its {@code RETURNING}, the line's insert) in a group's
   * batch of them, so the touch of a conversation and its new line share one round trip and one commit, and the line
   * is there exactly when the update applied. A re-open that breaks the open key's uniqueness answers false, as
   * {@link #update} does, and appends nothing. On H2 the update and the line run in one transaction of the group.
   */
  @Override
  public boolean updateAndAppend(Conversation updated, TranscriptEntry line) {
    ConversationStore.checkLine(updated, line);
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      GroupCommit.Binder binder = ps -> {
        bindUpdate(ps, updated);
        bindLineFields(ps, line, 13);
      };
      return jdbc.write("conversation update and append", new GroupCommit.Statement<>(UPDATE_WITH_LINE, binder,
          count -> count == 1), aloneOrRefused(UPDATE_WITH_LINE, binder));
    }
    // H2 keeps its transaction after a failed statement: a refused re-open answers false inside the group's transaction
    return jdbc.write("conversation update and append", c -> Jdbc.atomically(c, x -> {
      if (!aloneOrRefused(UPDATE, ps -> bindUpdate(ps, updated)).run(x)) {
        return false;
      }
      try (PreparedStatement ps = x.prepareStatement(APPEND)) {
        bindLine(ps, line);
        ps.executeUpdate();
      }
      return true;
    }));
  }

  /** The {@link #UPDATE}'s 13 parameters. */
  private static void bindUpdate(PreparedStatement ps, Conversation updated) throws SQLException {
    Jdbc.setNullableString(ps, 1, updated.mappingCode());
    ps.setString(2, updated.state().name());
    ps.setString(3, updated.target().key());
    ps.setLong(4, Jdbc.nanos(updated.openedAt()));
    ps.setLong(5, Jdbc.nanos(updated.lastActivityAt()));
    Jdbc.setNullableInstant(ps, 6, updated.endedAt());
    Jdbc.setNullableString(ps, 7, updated.endReason() == null ? null : updated.endReason().name());
    ps.setLong(8, updated.version());
    Jdbc.setNullableString(ps, 9, openKey(updated));
    ps.setString(10, updated.id());
    ps.setLong(11, updated.version() - 1);
    ps.setString(12, updated.customer().e164());
    ps.setString(13, updated.business().key());
  }

  /**
   * A conditional update ({@code sql}, an update count of 1 when it applied) run outside a group's batch: a unique
   * violation of the open key (a re-open while another conversation is open for the pair) answers false.
   */
  private static Jdbc.SqlWork<Boolean> aloneOrRefused(String sql, GroupCommit.Binder binder) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        if (Jdbc.isUniqueViolation(e)) {
          return false;
        }
        throw e;
      }
    };
  }

  @Override
  public Optional<Conversation> find(String id) {
    Objects.requireNonNull(id, "id == null");
    return jdbc.run("conversation find", c -> find(c, id));
  }

  private static Optional<Conversation> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sms_conversation WHERE id = ?")) {
      ps.setString(1, id);
      return first(ps);
    }
  }

  @Override
  public Optional<Conversation> findOpen(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    return jdbc.run("conversation find open", c -> findOpen(c, customer, business));
  }

  private static Optional<Conversation> findOpen(Connection c, PhoneNumber customer, Originator business)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM sms_conversation WHERE open_key = ?")) {
      ps.setString(1, customer.e164() + "|" + business.key());
      return first(ps);
    }
  }

  @Override
  public List<Conversation> findOpenByTarget(RouteTarget target) {
    Objects.requireNonNull(target, "target == null");
    return jdbc.run("conversation find by target", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sms_conversation"
          + " WHERE target = ? AND open_key IS NOT NULL ORDER BY opened_at, id")) {
        ps.setString(1, target.key());
        return all(ps);
      }
    });
  }

  @Override
  public List<Conversation> findIdle(Instant cutoff, int limit) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    if (limit <= 0) {
      return List.of();
    }
    return jdbc.run("conversation find idle", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sms_conversation"
          + " WHERE open_key IS NOT NULL AND last_activity_at < ? ORDER BY last_activity_at, id"
          + " FETCH FIRST ? ROWS ONLY")) {
        ps.setLong(1, Jdbc.nanos(cutoff));
        ps.setInt(2, limit);
        return all(ps);
      }
    });
  }

  @Override
  public void append(TranscriptEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    jdbc.write("transcript append", line(entry));
  }

  /** One statement (the check and the insert), in a group's batch. */
  @Override
  public boolean appendIfAbsent(TranscriptEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    return jdbc.write("transcript append", lineIfAbsent(entry)) == 1;
  }

  /** {@link #appendIfAbsent} without blocking: the future completes after the commit, on the completion threads. */
  @Override
  public CompletableFuture<Boolean> appendIfAbsentAsync(TranscriptEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    return jdbc.writeAsync("transcript append", lineIfAbsent(entry)).thenApply(count -> count == 1);
  }

  static final String APPEND = "INSERT INTO sms_transcript (conversation_id, at_time, direction, author, body,"
      + " message_id) VALUES (?, ?, ?, ?, ?, ?)";

  private static GroupCommit.Statement<Integer> line(TranscriptEntry entry) {
    return new GroupCommit.Statement<>(APPEND, ps -> bindLine(ps, entry), count -> count);
  }

  /** The line, unless its message id is set and the transcript has it in the same direction (then 0 rows). */
  private GroupCommit.Statement<Integer> lineIfAbsent(TranscriptEntry entry) {
    if (entry.messageId() == null) {
      return line(entry);
    }
    return new GroupCommit.Statement<>(appendIfAbsent, ps -> {
      bindLine(ps, entry);
      ps.setString(7, entry.conversationId());
      ps.setString(8, entry.messageId());
      ps.setString(9, entry.direction().name());
    }, count -> count);
  }

  private static void bindLine(PreparedStatement ps, TranscriptEntry entry) throws SQLException {
    ps.setString(1, entry.conversationId());
    bindLineFields(ps, entry, 1);
  }

  /** A line's time, direction, author, text and message id, after the first {@code offset} parameters. */
  private static void bindLineFields(PreparedStatement ps, TranscriptEntry entry, int offset) throws SQLException {
    ps.setLong(offset + 1, Jdbc.nanos(entry.at()));
    ps.setString(offset + 2, entry.direction().name());
    Jdbc.setNullableString(ps, offset + 3, entry.author());
    ps.setString(offset + 4, entry.text());
    Jdbc.setNullableString(ps, offset + 5, entry.messageId());
  }

  @Override
  public List<TranscriptEntry> transcript(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return jdbc.run("transcript read", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id, at_time, direction, author, body,"
          + " message_id FROM sms_transcript WHERE conversation_id = ? ORDER BY seq")) {
        ps.setString(1, conversationId);
        List<TranscriptEntry> entries = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            entries.add(new TranscriptEntry(rs.getString(1), Jdbc.instant(rs.getLong(2)),
                TranscriptEntry.Direction.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                rs.getString(6)));
          }
        }
        return entries;
      }
    });
  }

  @Override
  public Optional<String> findConversationOfMessage(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return jdbc.run("conversation of a message", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id FROM sms_transcript"
          + " WHERE message_id = ? AND direction = 'OUTBOUND' ORDER BY seq DESC LIMIT 1")) {
        ps.setString(1, messageId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  private static Optional<Conversation> first(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(read(rs)) : Optional.empty();
    }
  }

  private static List<Conversation> all(PreparedStatement ps) throws SQLException {
    List<Conversation> list = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        list.add(read(rs));
      }
    }
    return list;
  }

  private static Conversation read(ResultSet rs) throws SQLException {
    String endReason = rs.getString("end_reason");
    return new Conversation(rs.getString("id"), PhoneNumber.of(rs.getString("customer")),
        Jdbc.originator(rs.getString("business_ref")), rs.getString("mapping_code"),
        Conversation.State.valueOf(rs.getString("state")), RouteTarget.fromKey(rs.getString("target")),
        Jdbc.instant(rs.getLong("opened_at")), Jdbc.instant(rs.getLong("last_activity_at")),
        Jdbc.nullableInstant(rs, "ended_at"), endReason == null ? null : Conversation.EndReason.valueOf(endReason),
        rs.getLong("version"));
  }

  // ---------------------------------------------------------------------------------------------------- chat links

  private static final String LINK_COLUMNS = "conversation_id, contact_id, participant_id, participant_token,"
      + " connection_token, connection_expires_at, cursor_id, is_open, updated_at, version";

  @Override
  public boolean putChatLink(ChatLink link) {
    Objects.requireNonNull(link, "link == null");
    return jdbc.run("chat link put", c -> {
      if (link.version() == 1) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_chat_link (" + LINK_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, link.conversationId());
          ps.setString(2, link.contactId());
          bindLink(ps, 3, link);
          return ps.executeUpdate() == 1;
        } catch (SQLException e) {
          if (!Jdbc.isUniqueViolation(e)) {
            throw e;
          }
          if (findLink(c, "conversation_id", link.conversationId()).isPresent()) {
            return false;
          }
          throw new IllegalArgumentException("contact " + link.contactId() + " is linked to another conversation");
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_chat_link SET participant_id = ?,"
          + " participant_token = ?, connection_token = ?, connection_expires_at = ?, cursor_id = ?, is_open = ?,"
          + " updated_at = ?, version = ? WHERE conversation_id = ? AND contact_id = ? AND version = ?")) {
        bindLink(ps, 1, link);
        ps.setString(9, link.conversationId());
        ps.setString(10, link.contactId());
        ps.setLong(11, link.version() - 1);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Binds participant id ... version from {@code from} on (8 parameters). */
  private static void bindLink(PreparedStatement ps, int from, ChatLink link) throws SQLException {
    Jdbc.setNullableString(ps, from, link.participantId());
    Jdbc.setNullableString(ps, from + 1, link.participantToken());
    Jdbc.setNullableString(ps, from + 2, link.connectionToken());
    Jdbc.setNullableInstant(ps, from + 3, link.connectionExpiresAt());
    Jdbc.setNullableString(ps, from + 4, link.cursor());
    ps.setBoolean(from + 5, link.open());
    ps.setLong(from + 6, Jdbc.nanos(link.updatedAt()));
    ps.setLong(from + 7, link.version());
  }

  @Override
  public Optional<ChatLink> findChatLink(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return jdbc.run("chat link find", c -> findLink(c, "conversation_id", conversationId));
  }

  @Override
  public Optional<ChatLink> findChatLinkByContact(String contactId) {
    Objects.requireNonNull(contactId, "contactId == null");
    return jdbc.run("chat link find", c -> findLink(c, "contact_id", contactId));
  }

  private static Optional<ChatLink> findLink(Connection c, String column, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + LINK_COLUMNS + " FROM sms_chat_link WHERE " + column
        + " = ?")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new ChatLink(rs.getString("conversation_id"), rs.getString("contact_id"),
            rs.getString("participant_id"), rs.getString("participant_token"), rs.getString("connection_token"),
            Jdbc.nullableInstant(rs, "connection_expires_at"), rs.getString("cursor_id"), rs.getBoolean("is_open"),
            Jdbc.instant(rs.getLong("updated_at")), rs.getLong("version")));
      }
    }
  }
}
