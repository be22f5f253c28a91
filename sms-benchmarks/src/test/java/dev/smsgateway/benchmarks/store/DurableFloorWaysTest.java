package dev.smsgateway.benchmarks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.benchmarks.store.DurableFloorBenchmark.Way;
import dev.smsgateway.store.jdbc.JdbcStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The floor benchmark compares ways of sending the same rows: each way, run on a database of its own with the same
 * conversations at the same instant, leaves the same rows in every table the benchmark writes. Needs the tests'
 * PostgreSQL server ({@code SMS_TEST_POSTGRES_URL}, see {@code scripts/postgres.sh}); skipped without it.
 */
class DurableFloorWaysTest {

  private static final String[] TABLES = {"sms_message", "sms_originator", "sms_conversation", "sms_transcript",
      "sms_provider_link", "sms_seen"};

  @Test
  void everyWayWritesTheSameRows() throws Exception {
    String adminUrl = System.getenv("SMS_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(adminUrl != null, "SMS_TEST_POSTGRES_URL is not set");
    Map<Way, Map<String, List<String>>> rows = new LinkedHashMap<>();
    for (Way way : Way.values()) {
      String db = "sms_floor_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection admin = DriverManager.getConnection(adminUrl); Statement st = admin.createStatement()) {
        st.execute("CREATE DATABASE " + db);
      }
      try {
        String url = adminUrl.replaceFirst("/postgres\\?", "/" + db + "?");
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(url);
        JdbcStores.builder().dataSource(ds).purgeInterval(Duration.ZERO).build().close();
        try (Connection c = ds.getConnection()) {
          c.setAutoCommit(way == Way.ONE_TRIP);
          // two batches, 9 and 3 conversations: replies from every fourth (0, 4, 8 and then none)
          DurableFloorBenchmark.conversationBatch(c, way, 0, 9, 1_000_000_000L);
          DurableFloorBenchmark.conversationBatch(c, way, 9, 3, 2_000_000_000L);
          rows.put(way, dump(c));
        }
      } finally {
        try (Connection admin = DriverManager.getConnection(adminUrl); Statement st = admin.createStatement()) {
          st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
      }
    }
    Map<String, List<String>> rowBatch = rows.get(Way.ROW_BATCH);
    assertThat(rowBatch.get("sms_message")).hasSize(12).allMatch(r -> r.contains("DELIVERED"));
    assertThat(rowBatch.get("sms_conversation")).hasSize(12);
    assertThat(rowBatch.get("sms_transcript")).hasSize(12 + 3);
    assertThat(rowBatch.get("sms_provider_link")).hasSize(12);
    assertThat(rowBatch.get("sms_seen")).hasSize(3);
    assertThat(rows.get(Way.MULTI_ROW)).isEqualTo(rowBatch);
    assertThat(rows.get(Way.ONE_TRIP)).isEqualTo(rowBatch);
  }

  /** Every table's rows as text, sorted, without the columns the server numbers itself. */
  private static Map<String, List<String>> dump(Connection c) throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (String table : TABLES) {
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT column_name FROM information_schema.columns"
          + " WHERE table_name = '" + table + "' AND coalesce(column_default, '') NOT LIKE 'nextval%'"
          + " AND is_identity = 'NO' ORDER BY ordinal_position")) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      List<String> lines = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT " + String.join(", ", columns) + " FROM "
          + table)) {
        while (rs.next()) {
          StringBuilder line = new StringBuilder();
          for (int i = 1; i <= columns.size(); i++) {
            line.append(columns.get(i - 1)).append('=').append(rs.getString(i)).append(' ');
          }
          lines.add(line.toString());
        }
      }
      lines.sort(null);
      tables.put(table, lines);
    }
    return tables;
  }
}
