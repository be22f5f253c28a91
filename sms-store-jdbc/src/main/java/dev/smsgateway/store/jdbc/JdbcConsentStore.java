package dev.smsgateway.store.jdbc;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.ConsentMethod;
import dev.smsgateway.compliance.ConsentRecord;
import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.compliance.Purpose;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ConsentStore} on JDBC: one row per record in {@code sms_consent}, never updated; a unique key on the
 * record's fields makes a repeated write a no-op, and an identity column orders writes at equal times.
 *
 * <p>Thread-safe.
 */
final class JdbcConsentStore implements ConsentStore {

  private static final String COLUMNS = "customer, scope, purpose, granted, method, proof, at_time";

  private final Jdbc jdbc;

  JdbcConsentStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void record(ConsentRecord record) {
    Objects.requireNonNull(record, "record == null");
    jdbc.run("consent record", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_consent (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, record.customer().e164());
        ps.setString(2, record.scope());
        ps.setString(3, record.purpose().name());
        ps.setBoolean(4, record.granted());
        ps.setString(5, record.method().name());
        Jdbc.setNullableString(ps, 6, record.proofReference());
        ps.setLong(7, Jdbc.nanos(record.at()));
        return ps.executeUpdate();
      } catch (SQLException e) {
        if (Jdbc.isUniqueViolation(e)) {
          return 0; // the same record, written before
        }
        throw e;
      }
    });
  }

  @Override
  public Optional<ConsentRecord> latest(PhoneNumber customer, String scope, Purpose purpose) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(scope, "scope == null");
    Objects.requireNonNull(purpose, "purpose == null");
    List<ConsentRecord> found = query("consent latest", "SELECT " + COLUMNS + " FROM sms_consent WHERE customer = ?"
        + " AND scope = ? AND purpose = ? ORDER BY at_time DESC, seq DESC LIMIT 1", customer.e164(), scope,
        purpose.name());
    return found.stream().findFirst();
  }

  @Override
  public List<ConsentRecord> history(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    return query("consent history", "SELECT " + COLUMNS + " FROM sms_consent WHERE customer = ?"
        + " ORDER BY at_time, seq", customer.e164());
  }

  private List<ConsentRecord> query(String operation, String sql, String... args) {
    return jdbc.run(operation, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setString(i + 1, args[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          List<ConsentRecord> out = new ArrayList<>();
          while (rs.next()) {
            out.add(new ConsentRecord(PhoneNumber.of(rs.getString("customer")), rs.getString("scope"),
                Purpose.valueOf(rs.getString("purpose")), rs.getBoolean("granted"),
                ConsentMethod.valueOf(rs.getString("method")), rs.getString("proof"),
                Jdbc.instant(rs.getLong("at_time"))));
          }
          return out;
        }
      }
    });
  }
}
