package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OriginatorRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The claims of one group commit run as one statement on PostgreSQL ({@link JdbcOriginatorStore#replaceAll}): each
 * claim gets the record it replaced, exactly as if the claims had run one after the other in queue order.
 */
class PostgresOriginatorClaimsTest {

  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private PostgresDatabase database;
  private JdbcStores stores;
  private JdbcOriginatorStore store;

  @BeforeEach
  void start() {
    database = PostgresDatabase.create();
    stores = JdbcStores.builder().dataSource(database.dataSource()).clock(Clock.fixed(T, ZoneOffset.UTC))
        .purgeInterval(Duration.ZERO).build();
    store = (JdbcOriginatorStore) stores.originatorStore();
  }

  @AfterEach
  void stop() {
    if (stores != null) {
      stores.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private static OriginatorRecord record(String customer, String agent, Instant created) {
    return OriginatorRecord.of(PhoneNumber.of(customer), BUSINESS, agent, "hello from " + agent, null, created,
        Duration.ofHours(1));
  }

  @Test
  @DisplayName("a group's claims in one statement: the live record each replaced (none for an expired or absent one),"
      + " a pair's second claim gets the first, a claim older than the stored record leaves it")
  void claimsOfOneGroup() throws SQLException {
    String a = "+14155550101";
    String b = "+14155550102";
    String c = "+14155550103";
    String d = "+14155550104";
    store.put(record(a, "a0", T.minusSeconds(60)));
    store.put(OriginatorRecord.of(PhoneNumber.of(b), BUSINESS, "b0", null, null, T.minus(Duration.ofHours(2)),
        Duration.ofHours(1))); // expired at T - 1 h
    OriginatorRecord newerD = record(d, "d0", T.plusSeconds(10));
    store.put(newerD);
    List<OriginatorRecord> claims = List.of(record(a, "a1", T), record(b, "b1", T), record(c, "c1", T),
        record(a, "a2", T.plusSeconds(1)), record(d, "d-old", T));
    List<Optional<OriginatorRecord>> replaced;
    try (Connection conn = database.dataSource().getConnection()) {
      replaced = store.replaceAll(conn, claims);
    }
    assertThat(replaced).hasSize(5);
    assertThat(replaced.get(0)).map(OriginatorRecord::agentId).contains("a0");
    assertThat(replaced.get(1)).isEmpty();
    assertThat(replaced.get(2)).isEmpty();
    assertThat(replaced.get(3)).map(OriginatorRecord::agentId).contains("a1");
    assertThat(replaced.get(4)).contains(newerD);
    assertThat(store.find(PhoneNumber.of(a), BUSINESS)).map(OriginatorRecord::agentId).contains("a2");
    assertThat(store.find(PhoneNumber.of(b), BUSINESS)).map(OriginatorRecord::agentId).contains("b1");
    assertThat(store.find(PhoneNumber.of(c), BUSINESS)).map(OriginatorRecord::agentId).contains("c1");
    assertThat(store.find(PhoneNumber.of(d), BUSINESS)).contains(newerD);
  }

  @Test
  @DisplayName("concurrent claims through the group commit: every claim of a pair gets the one before it, and the"
      + " pair ends with the last")
  void concurrentClaims() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      for (int round = 0; round < 3; round++) {
        int r = round;
        List<CompletableFuture<Optional<OriginatorRecord>>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
          String customer = "+1415555" + String.format("%04d", i);
          futures.add(CompletableFuture.supplyAsync(() -> store.replace(record(customer, "agent" + r,
              T.plusSeconds(r))), callers));
        }
        for (int i = 0; i < 64; i++) {
          Optional<OriginatorRecord> previous = futures.get(i).get(10, TimeUnit.SECONDS);
          if (r == 0) {
            assertThat(previous).as("claim %d of round 0", i).isEmpty();
          } else {
            assertThat(previous).as("claim %d of round %d", i, r).map(OriginatorRecord::agentId)
                .contains("agent" + (r - 1));
          }
        }
      }
      assertThat(store.find(PhoneNumber.of("+14155550063"), BUSINESS)).map(OriginatorRecord::agentId)
          .contains("agent2");
    } finally {
      callers.shutdownNow();
    }
  }
}
