package dev.smsgateway.store.jdbc;

import dev.smsgateway.SmsConfigurationException;
import java.util.Locale;

/** The SQL differences between the databases we support; everything else is standard SQL. */
enum Dialect {
  /** H2 2.x in its native mode: upserts by {@code MERGE INTO ... USING}. */
  H2,
  /** PostgreSQL 12 or later: upserts by {@code INSERT ... ON CONFLICT}. */
  POSTGRESQL;

  static Dialect of(String databaseProductName) {
    String name = databaseProductName.toLowerCase(Locale.ROOT);
    if (name.contains("h2")) {
      return H2;
    }
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    throw new SmsConfigurationException("JDBC stores support H2 and PostgreSQL, not '" + databaseProductName + "'");
  }
}
