package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The batched lookups' plans on a real PostgreSQL server. The JDBC driver keeps a server-side prepared statement per
 * connection; after five executions the server may switch it to a generic plan, planned with the statistics of that
 * moment and kept as the table grows. A generic plan made while a table is empty (a new deployment, or before the first
 * ANALYZE) must still look each key up in the primary key, never scan the table.
 */
class PostgresBatchedLookupPlanTest {

  private PostgresDatabase database;

  // a database per test: each plan is made on empty, never analyzed tables
  @BeforeEach
  void start() {
    database = PostgresDatabase.create();
    JdbcStores.builder().dataSource(database.dataSource()).purgeInterval(Duration.ZERO).build().close();
  }

  @AfterEach
  void stop() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  @DisplayName("originators: the generic plan made on an empty, never analyzed table probes the primary key, also"
      + " after 5,000 rows arrive")
  void originators() throws SQLException {
    String plan = genericPlans(JdbcOriginatorStore.FIND_ALL, "varchar[], bigint",
        "ARRAY['+14155550100','+14155550101']::varchar[], 0",
        "INSERT INTO sms_originator (customer, business, business_ref, agent_id, created_at, expires_at)"
            + " SELECT '+1415' || lpad(i::text, 7, '0'), 'b', 'r', 'a', 0, 9000000000000000000"
            + " FROM generate_series(1, 5000) i");
    assertThat(plan).contains("Index Scan using sms_originator_pkey").doesNotContain("Seq Scan");
  }

  @Test
  @DisplayName("opt-outs: the generic plan made on an empty, never analyzed table probes the primary key, also after"
      + " 5,000 rows arrive")
  void optOuts() throws SQLException {
    String plan = genericPlans(JdbcOptOutStore.FIND_ALL, "varchar[]", "ARRAY['+14155550100','+14155550101']::varchar[]",
        "INSERT INTO sms_opt_out (customer, opted_out, keyword, source, at_time)"
            + " SELECT '+1415' || lpad(i::text, 7, '0'), true, 'STOP', 'sms', 0 FROM generate_series(1, 5000) i");
    assertThat(plan).contains("Index Scan using sms_opt_out_pkey").doesNotContain("Seq Scan");
  }

  @Test
  @DisplayName("originator claims of a group: the generic plan made on an empty, never analyzed table probes the"
      + " primary key for the records they replace, also after 5,000 rows arrive")
  void claims() throws SQLException {
    String plan = genericPlans(JdbcOriginatorStore.REPLACE_ALL,
        "varchar[], varchar[], varchar[], varchar[], varchar[], varchar[], int8[], int8[], bigint",
        "ARRAY['+14155550100','+14155550101'], ARRAY['b','b'], ARRAY['r','r'], ARRAY['a','a'], ARRAY[NULL,NULL],"
            + " ARRAY[NULL,NULL], ARRAY[1,1]::int8[], ARRAY[2,2]::int8[], 0",
        "INSERT INTO sms_originator (customer, business, business_ref, agent_id, created_at, expires_at)"
            + " SELECT '+1416' || lpad(i::text, 7, '0'), 'b', 'r', 'a', 0, 9000000000000000000"
            + " FROM generate_series(1, 5000) i");
    String reads = plan.lines().filter(l -> !l.contains("Insert on") && !l.contains("Conflict"))
        .reduce("", (a, b) -> a + "\n" + b);
    assertThat(reads).contains("Index Scan using sms_originator_pkey").doesNotContain("Seq Scan on sms_originator");
  }

  /** The generic plan of {@code sql} prepared on the empty table, shown before and after {@code grow} runs. */
  private String genericPlans(String sql, String types, String arguments, String grow) throws SQLException {
    StringBuilder numbered = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
    }
    try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("SET plan_cache_mode = force_generic_plan");
      st.execute("PREPARE lookup (" + types + ") AS " + numbered);
      List<String> lines = new ArrayList<>(explain(st, arguments));
      st.execute(grow);
      lines.addAll(explain(st, arguments));
      st.execute("DEALLOCATE lookup");
      st.execute("RESET plan_cache_mode");
      return String.join("\n", lines);
    }
  }

  private static List<String> explain(Statement st, String arguments) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE lookup (" + arguments + ")")) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }
}
