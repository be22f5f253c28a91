package dev.smsgateway.store.jdbc;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.AuditEvent;
import dev.smsgateway.compliance.AuditLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link AuditLog} on JDBC: {@code sms_audit}, one row per event keyed by its sequence, inserted and never updated;
 * indexed by customer, conversation, message and time.
 *
 * <p>Thread-safe.
 */
final class JdbcAuditLog implements AuditLog {

  private static final String COLUMNS = "seq, at_time, event_type, customer, business, conversation_id, message_id,"
      + " outcome, reason";

  private final Jdbc jdbc;

  JdbcAuditLog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void append(AuditEvent e) {
    Objects.requireNonNull(e, "event == null");
    jdbc.run("audit append", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_audit (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, e.sequence());
        ps.setLong(2, Jdbc.nanos(e.at()));
        ps.setString(3, e.type().name());
        Jdbc.setNullableString(ps, 4, e.customer() == null ? null : e.customer().e164());
        Jdbc.setNullableString(ps, 5, e.business());
        Jdbc.setNullableString(ps, 6, e.conversationId());
        Jdbc.setNullableString(ps, 7, e.messageId());
        ps.setString(8, e.outcome());
        Jdbc.setNullableString(ps, 9, e.reason());
        return ps.executeUpdate();
      } catch (SQLException x) {
        if (Jdbc.isUniqueViolation(x)) {
          return 0; // appended before
        }
        throw x;
      }
    });
  }

  @Override
  public List<AuditEvent> forCustomer(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    return select("audit by customer", "customer = ?", customer.e164());
  }

  @Override
  public List<AuditEvent> forConversation(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return select("audit by conversation", "conversation_id = ?", conversationId);
  }

  @Override
  public List<AuditEvent> forMessage(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return select("audit by message", "message_id = ?", messageId);
  }

  @Override
  public List<AuditEvent> between(Instant from, Instant to) {
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    return select("audit by time", "at_time >= ? AND at_time < ?", Jdbc.nanos(from), Jdbc.nanos(to));
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    return jdbc.run("audit purge", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_audit WHERE at_time < ?")) {
        ps.setLong(1, Jdbc.nanos(cutoff));
        return ps.executeUpdate();
      }
    });
  }

  private List<AuditEvent> select(String operation, String where, Object... args) {
    return jdbc.run(operation, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sms_audit WHERE " + where
          + " ORDER BY seq")) {
        for (int i = 0; i < args.length; i++) {
          if (args[i] instanceof Long l) {
            ps.setLong(i + 1, l);
          } else {
            ps.setString(i + 1, (String) args[i]);
          }
        }
        try (ResultSet rs = ps.executeQuery()) {
          List<AuditEvent> out = new ArrayList<>();
          while (rs.next()) {
            String customer = rs.getString("customer");
            out.add(new AuditEvent(rs.getLong("seq"), Jdbc.instant(rs.getLong("at_time")),
                AuditEvent.Type.valueOf(rs.getString("event_type")), customer == null ? null : PhoneNumber.of(customer),
                rs.getString("business"), rs.getString("conversation_id"), rs.getString("message_id"),
                rs.getString("outcome"), rs.getString("reason")));
          }
          return out;
        }
      }
    });
  }
}
