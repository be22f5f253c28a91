package dev.smsgateway.store.jdbc;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.HeldMessage;
import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.compliance.Purpose;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link HeldMessageStore} on JDBC, in {@code sms_held_message} next to the message records. {@link #takeDue} reads
 * the due rows in release order, then claims each with {@code UPDATE ... SET release_at = now + lease WHERE message_id
 * = ? AND release_at = <the value read>} and returns only the rows its own update changed: two gateways on one
 * database never hold the same claim at once. {@link #remove} deletes the row once the send's outcome is known.
 *
 * <p>Thread-safe.
 */
final class JdbcHeldMessageStore implements HeldMessageStore {

  private static final String COLUMNS = "message_id, customer, from_key, body, provider, purpose, delivery_report,"
      + " media, attributes, release_at, seq";

  private final Jdbc jdbc;

  JdbcHeldMessageStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void hold(HeldMessage m) {
    Objects.requireNonNull(m, "message == null");
    jdbc.inTransaction("held message hold", c -> {
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM sms_held_message WHERE message_id = ?");
          PreparedStatement ps = c.prepareStatement("INSERT INTO sms_held_message (" + COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        delete.setString(1, m.messageId());
        delete.executeUpdate();
        ps.setString(1, m.messageId());
        ps.setString(2, m.to().e164());
        Jdbc.setNullableString(ps, 3, m.fromKey());
        ps.setString(4, m.body());
        Jdbc.setNullableString(ps, 5, m.provider());
        ps.setString(6, m.purpose().name());
        ps.setBoolean(7, m.deliveryReport());
        ps.setString(8, String.join("\n", m.mediaUrls().stream().map(URI::toString).toList()));
        ps.setString(9, encode(m.attributes()));
        ps.setLong(10, Jdbc.nanos(m.releaseAt()));
        ps.setLong(11, m.sequence());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<HeldMessage> takeDue(Instant now, int limit, Duration lease) {
    Objects.requireNonNull(now, "now == null");
    long until = Jdbc.nanos(now.plus(Objects.requireNonNull(lease, "lease == null")));
    List<HeldMessage> due = select("held message due", " WHERE release_at <= ? ORDER BY release_at, seq LIMIT ?",
        Jdbc.nanos(now), limit);
    List<HeldMessage> taken = new ArrayList<>(due.size());
    for (HeldMessage m : due) {
      int claimed = jdbc.run("held message take", c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sms_held_message SET release_at = ? WHERE message_id = ? AND release_at = ?")) {
          ps.setLong(1, until);
          ps.setString(2, m.messageId());
          ps.setLong(3, Jdbc.nanos(m.releaseAt()));
          return ps.executeUpdate();
        }
      });
      if (claimed == 1) {
        taken.add(m);
      }
    }
    return taken;
  }

  @Override
  public void remove(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    jdbc.run("held message remove", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_held_message WHERE message_id = ?")) {
        ps.setString(1, messageId);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<HeldMessage> all() {
    return select("held message list", " ORDER BY release_at, seq LIMIT ?", null, Integer.MAX_VALUE);
  }

  private List<HeldMessage> select(String operation, String where, Long releaseBefore, int limit) {
    return jdbc.run(operation, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sms_held_message" + where)) {
        int i = 1;
        if (releaseBefore != null) {
          ps.setLong(i++, releaseBefore);
        }
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          List<HeldMessage> out = new ArrayList<>();
          while (rs.next()) {
            String media = rs.getString("media");
            out.add(new HeldMessage(rs.getString("message_id"), PhoneNumber.of(rs.getString("customer")),
                rs.getString("from_key"), rs.getString("body"), rs.getString("provider"),
                Purpose.valueOf(rs.getString("purpose")), rs.getBoolean("delivery_report"),
                media == null || media.isEmpty() ? List.of() : media.lines().map(URI::create).toList(),
                decode(rs.getString("attributes")), Jdbc.instant(rs.getLong("release_at")), rs.getLong("seq")));
          }
          return out;
        }
      }
    });
  }

  /** {@code k=v&k=v}, each part URL-encoded: readable in the table and reversible. */
  static String encode(Map<String, String> attributes) {
    StringBuilder b = new StringBuilder();
    attributes.forEach((k, v) -> {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return b.toString();
  }

  static Map<String, String> decode(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
