package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.AgentOffer;
import dev.smsgateway.store.AgentRecord;
import dev.smsgateway.store.AgentStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link AgentStore} on JDBC. Tables: {@code sms_agent} (one row per agent, with {@code held}, the number of its
 * slots), {@code sms_agent_queue} (who serves which queue), {@code sms_agent_slot} (the conversations each holds) and
 * {@code sms_agent_offer} (offers and their deadlines).
 *
 * <p>Atomic across gateways by conditional updates, in one transaction per call: a claim is
 * {@code UPDATE sms_agent SET held = held + 1 WHERE agent_id = ? AND presence = 'AVAILABLE' AND held < capacity},
 * which a concurrent claim of the same agent waits for and then re-evaluates, so the last free slot goes to exactly
 * one; the slot row is inserted in the same transaction. Every call locks the agent row before its slot rows, so two
 * calls never deadlock. A lapsed offer is taken by {@code UPDATE ... SET deadline = ? WHERE deadline = <the one read>}:
 * one taker per offer and lease. A lapsed presence lease ({@code sms_agent.presence_until}) likewise, by
 * {@code UPDATE sms_agent SET presence = 'OFFLINE', presence_until = NULL WHERE presence_until = <the one read>}.
 *
 * <p>Thread-safe.
 */
final class JdbcAgentStore implements AgentStore {

  private final Jdbc jdbc;
  private final String upsertOffer;

  JdbcAgentStore(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.upsertOffer = switch (jdbc.dialect()) {
      case POSTGRESQL -> "INSERT INTO sms_agent_offer (conversation_id, agent_id, deadline) VALUES (?, ?, ?)"
          + " ON CONFLICT (conversation_id) DO UPDATE SET agent_id = EXCLUDED.agent_id, deadline = EXCLUDED.deadline";
      case H2 -> "MERGE INTO sms_agent_offer (conversation_id, agent_id, deadline) KEY (conversation_id)"
          + " VALUES (?, ?, ?)";
    };
  }

  @Override
  public AgentRecord register(String agentId, int capacity, Set<String> queues, Instant now) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(queues, "queues == null");
    Objects.requireNonNull(now, "now == null");
    return jdbc.inTransaction("agent register", c -> {
      boolean exists;
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_agent SET capacity = ? WHERE agent_id = ?")) {
        ps.setInt(1, capacity);
        ps.setString(2, agentId);
        exists = ps.executeUpdate() == 1;
      }
      if (!exists) {
        // A concurrent registration of the same agent makes this a unique violation: the whole call is retried.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_agent (agent_id, capacity, presence,"
            + " idle_since, held) VALUES (?, ?, ?, ?, 0)")) {
          ps.setString(1, agentId);
          ps.setInt(2, capacity);
          ps.setString(3, AgentRecord.OFFLINE);
          ps.setLong(4, Jdbc.nanos(now));
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_agent_queue WHERE agent_id = ?")) {
        ps.setString(1, agentId);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_agent_queue (queue, agent_id) VALUES (?, ?)")) {
        for (String queue : new TreeSet<>(queues)) {
          ps.setString(1, queue);
          ps.setString(2, agentId);
          ps.addBatch();
        }
        if (!queues.isEmpty()) {
          ps.executeBatch();
        }
      }
      return read(c, agentId).orElseThrow();
    });
  }

  @Override
  public Optional<AgentRecord> find(String agentId) {
    Objects.requireNonNull(agentId, "agentId == null");
    return jdbc.run("agent find", c -> read(c, agentId));
  }

  @Override
  public List<AgentRecord> agents() {
    return jdbc.inTransaction("agent list", c -> {
      Map<String, Set<String>> queues = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, queue FROM sms_agent_queue");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          queues.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
        }
      }
      Map<String, Map<String, Instant>> slots = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT agent_id, conversation_id, claimed_at FROM sms_agent_slot");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          slots.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
              .put(rs.getString(2), Jdbc.instant(rs.getLong(3)));
        }
      }
      Map<String, AgentRecord> out = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT agent_id, capacity, presence, idle_since FROM sms_agent");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          out.put(id, new AgentRecord(id, rs.getInt(2), queues.getOrDefault(id, Set.of()), rs.getString(3),
              Jdbc.instant(rs.getLong(4)), slots.getOrDefault(id, Map.of())));
        }
      }
      return List.copyOf(out.values());
    });
  }

  @Override
  public Optional<String> setPresence(String agentId, String presence, Instant now) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(presence, "presence == null");
    return jdbc.inTransaction("agent presence", c -> {
      String previous;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT presence FROM sms_agent WHERE agent_id = ? FOR UPDATE")) {
        ps.setString(1, agentId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<String>empty();
          }
          previous = rs.getString(1);
        }
      }
      boolean becomesAvailable = AgentRecord.AVAILABLE.equals(presence) && !AgentRecord.AVAILABLE.equals(previous);
      try (PreparedStatement ps = c.prepareStatement(becomesAvailable
          ? "UPDATE sms_agent SET presence = ?, idle_since = ? WHERE agent_id = ?"
          : "UPDATE sms_agent SET presence = ? WHERE agent_id = ?")) {
        int i = 1;
        ps.setString(i++, presence);
        if (becomesAvailable) {
          ps.setLong(i++, Jdbc.nanos(now));
        }
        ps.setString(i, agentId);
        ps.executeUpdate();
      }
      return Optional.of(previous);
    });
  }

  @Override
  public void touch(String agentId, Instant now) {
    Objects.requireNonNull(agentId, "agentId == null");
    jdbc.run("agent touch", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_agent SET idle_since = ? WHERE agent_id = ?")) {
        ps.setLong(1, Jdbc.nanos(now));
        ps.setString(2, agentId);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<String> claim(String queue, String conversationId, Collection<String> excluded, Instant at) {
    Objects.requireNonNull(queue, "queue == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(excluded, "excluded == null");
    return jdbc.inTransaction("agent claim", c -> {
      List<String> candidates = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT a.agent_id FROM sms_agent a"
          + " JOIN sms_agent_queue q ON q.agent_id = a.agent_id"
          + " WHERE q.queue = ? AND a.presence = ? AND a.held < a.capacity"
          + " AND (a.presence_until IS NULL OR a.presence_until > ?)"
          + " ORDER BY a.idle_since, a.agent_id")) {
        ps.setString(1, queue);
        ps.setString(2, AgentRecord.AVAILABLE);
        ps.setLong(3, Jdbc.nanos(at));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!excluded.contains(rs.getString(1))) {
              candidates.add(rs.getString(1));
            }
          }
        }
      }
      for (String agent : candidates) {
        // Re-checked under the row lock: of two claims for the last slot, the second finds held = capacity.
        try (PreparedStatement ps = c.prepareStatement("UPDATE sms_agent SET held = held + 1"
            + " WHERE agent_id = ? AND presence = ? AND held < capacity"
            + " AND (presence_until IS NULL OR presence_until > ?) AND NOT EXISTS"
            + " (SELECT 1 FROM sms_agent_slot s WHERE s.agent_id = ? AND s.conversation_id = ?)")) {
          ps.setString(1, agent);
          ps.setString(2, AgentRecord.AVAILABLE);
          ps.setLong(3, Jdbc.nanos(at));
          ps.setString(4, agent);
          ps.setString(5, conversationId);
          if (ps.executeUpdate() == 0) {
            continue;
          }
        }
        insertSlot(c, agent, conversationId, at);
        return Optional.of(agent);
      }
      return Optional.<String>empty();
    });
  }

  @Override
  public boolean hold(String agentId, String conversationId, Instant at) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    return jdbc.inTransaction("agent hold", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_agent SET held = held + 1 WHERE agent_id = ?"
          + " AND NOT EXISTS (SELECT 1 FROM sms_agent_slot s WHERE s.agent_id = ? AND s.conversation_id = ?)")) {
        ps.setString(1, agentId);
        ps.setString(2, agentId);
        ps.setString(3, conversationId);
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      insertSlot(c, agentId, conversationId, at);
      return true;
    });
  }

  private static void insertSlot(Connection c, String agentId, String conversationId, Instant at)
      throws SQLException {
    // A concurrent slot for the same pair is a unique violation here: the transaction is retried and then sees it.
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO sms_agent_slot (agent_id, conversation_id, claimed_at) VALUES (?, ?, ?)")) {
      ps.setString(1, agentId);
      ps.setString(2, conversationId);
      ps.setLong(3, Jdbc.nanos(at));
      ps.executeUpdate();
    }
  }

  @Override
  public boolean release(String agentId, String conversationId) {
    return releaseIf(agentId, conversationId, null);
  }

  @Override
  public boolean releaseIfClaimedAt(String agentId, String conversationId, Instant claimedAt) {
    return releaseIf(agentId, conversationId, Objects.requireNonNull(claimedAt, "claimedAt == null"));
  }

  private boolean releaseIf(String agentId, String conversationId, Instant claimedAt) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    return jdbc.inTransaction("agent release", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT held FROM sms_agent WHERE agent_id = ? FOR UPDATE")) {
        ps.setString(1, agentId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM sms_agent_slot WHERE agent_id = ? AND conversation_id = ?"
              + (claimedAt == null ? "" : " AND claimed_at = ?"))) {
        ps.setString(1, agentId);
        ps.setString(2, conversationId);
        if (claimedAt != null) {
          ps.setLong(3, Jdbc.nanos(claimedAt));
        }
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_agent SET held = held - 1 WHERE agent_id = ?")) {
        ps.setString(1, agentId);
        ps.executeUpdate();
      }
      return true;
    });
  }

  // ---------------------------------------------------------------------------------------------------- offers

  @Override
  public void offer(AgentOffer offer) {
    Objects.requireNonNull(offer, "offer == null");
    jdbc.run("agent offer", c -> {
      try (PreparedStatement ps = c.prepareStatement(upsertOffer)) {
        ps.setString(1, offer.conversationId());
        ps.setString(2, offer.agentId());
        ps.setLong(3, Jdbc.nanos(offer.deadline()));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean withdrawOffer(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return jdbc.run("agent offer withdraw", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_agent_offer WHERE conversation_id = ?")) {
        ps.setString(1, conversationId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<AgentOffer> findOffer(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return jdbc.run("agent offer find", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT agent_id, deadline FROM sms_agent_offer WHERE conversation_id = ?")) {
        ps.setString(1, conversationId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new AgentOffer(conversationId, rs.getString(1), Jdbc.instant(rs.getLong(2))))
              : Optional.<AgentOffer>empty();
        }
      }
    });
  }

  @Override
  public List<AgentOffer> takeDueOffers(Instant now, Duration lease, int limit) {
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(lease, "lease == null");
    return jdbc.run("agent offers due", c -> {
      List<AgentOffer> due = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id, agent_id, deadline FROM sms_agent_offer"
          + " WHERE deadline <= ? ORDER BY deadline, conversation_id LIMIT ?")) {
        ps.setLong(1, Jdbc.nanos(now));
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            due.add(new AgentOffer(rs.getString(1), rs.getString(2), Jdbc.instant(rs.getLong(3))));
          }
        }
      }
      List<AgentOffer> taken = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE sms_agent_offer SET deadline = ? WHERE conversation_id = ? AND deadline = ?")) {
        for (AgentOffer o : due) {
          ps.setLong(1, Jdbc.nanos(now.plus(lease)));
          ps.setString(2, o.conversationId());
          ps.setLong(3, Jdbc.nanos(o.deadline()));
          if (ps.executeUpdate() == 1) {
            taken.add(o);
          }
        }
      }
      return taken;
    });
  }

  // ---------------------------------------------------------------------------------------------------- presence leases

  @Override
  public boolean renewPresence(String agentId, Instant until) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(until, "until == null");
    return jdbc.run("agent presence renew", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_agent SET presence_until = ? WHERE agent_id = ?")) {
        ps.setLong(1, Jdbc.nanos(until));
        ps.setString(2, agentId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<Instant> presenceLease(String agentId) {
    Objects.requireNonNull(agentId, "agentId == null");
    return jdbc.run("agent presence lease", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT presence_until FROM sms_agent WHERE agent_id = ?")) {
        ps.setString(1, agentId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Instant>empty();
          }
          long until = rs.getLong(1);
          return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Jdbc.instant(until));
        }
      }
    });
  }

  @Override
  public List<String> takeLapsedAgents(Instant now, int limit) {
    Objects.requireNonNull(now, "now == null");
    return jdbc.run("agent presence lapsed", c -> {
      Map<String, Long> lapsed = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, presence_until FROM sms_agent"
          + " WHERE presence_until <= ? ORDER BY presence_until, agent_id LIMIT ?")) {
        ps.setLong(1, Jdbc.nanos(now));
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            lapsed.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      // Only the lease that was read: of two sweeps, the second finds it gone; a renewal since then keeps the agent.
      List<String> taken = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("UPDATE sms_agent SET presence = ?, presence_until = NULL"
          + " WHERE agent_id = ? AND presence_until = ?")) {
        for (Map.Entry<String, Long> e : lapsed.entrySet()) {
          ps.setString(1, AgentRecord.OFFLINE);
          ps.setString(2, e.getKey());
          ps.setLong(3, e.getValue());
          if (ps.executeUpdate() == 1) {
            taken.add(e.getKey());
          }
        }
      }
      return taken;
    });
  }

  private static Optional<AgentRecord> read(Connection c, String agentId) throws SQLException {
    int capacity;
    String presence;
    Instant idleSince;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT capacity, presence, idle_since FROM sms_agent WHERE agent_id = ?")) {
      ps.setString(1, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        capacity = rs.getInt(1);
        presence = rs.getString(2);
        idleSince = Jdbc.instant(rs.getLong(3));
      }
    }
    Set<String> queues = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT queue FROM sms_agent_queue WHERE agent_id = ?")) {
      ps.setString(1, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          queues.add(rs.getString(1));
        }
      }
    }
    Map<String, Instant> slots = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT conversation_id, claimed_at FROM sms_agent_slot WHERE agent_id = ?")) {
      ps.setString(1, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          slots.put(rs.getString(1), Jdbc.instant(rs.getLong(2)));
        }
      }
    }
    return Optional.of(new AgentRecord(agentId, capacity, queues, presence, idleSince, slots));
  }

  @Override
  public String toString() {
    return "JdbcAgentStore{" + jdbc.dialect() + "}";
  }
}
