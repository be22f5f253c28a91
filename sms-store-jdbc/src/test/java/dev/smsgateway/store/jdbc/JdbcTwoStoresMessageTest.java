package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ReportMerge;
import dev.smsgateway.test.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two {@link JdbcStores} on one database (two gateways), H2 and PostgreSQL: a store that remembers the records it
 * wrote merges a report on top of the row as it is now, whatever the other one changed meanwhile; concurrent takers of
 * one parked report, on either store, get it once.
 */
class JdbcTwoStoresMessageTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final EngineStores engines = new EngineStores(clock);
  private MessageStore mine;
  private MessageStore other;

  private void open(String engine) {
    DataSource dataSource = engines.database(engine);
    mine = engines.stores(dataSource).messageStore();
    other = engines.stores(dataSource).messageStore();
  }

  @AfterEach
  void close() throws Exception {
    engines.close();
  }

  private static MessageRecord sent(String id, int parts) {
    return EngineStores.sentRecord(id, parts, START);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("a report merges on top of what another store merged since this one recorded the send")
  void mergeOnTopOfAnotherStoresMerge(String engine) {
    open(engine);
    mine.recordSent(sent("m1", 2), "smpp", List.of("p1", "p2"));
    clock.advanceMillis(5);
    ReportMerge elsewhere = other.mergeReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant()).orElseThrow();
    assertThat(elsewhere.changed()).isTrue();
    clock.advanceMillis(5);
    ReportMerge here = mine.mergeReport("m1", 1, DeliveryStatus.DELIVERED, null, clock.instant()).orElseThrow();
    assertThat(here.changed()).isTrue();
    assertThat(here.record().partStatuses()).containsOnly(DeliveryStatus.DELIVERED);
    assertThat(here.record().status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(mine.find("m1")).contains(here.record());
    assertThat(other.find("m1")).contains(here.record());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("a report merges on top of a record another store saved over the one this store recorded")
  void mergeOnTopOfAnotherStoresSave(String engine) {
    open(engine);
    mine.recordSent(sent("m1", 1), "smpp", List.of("p1"));
    clock.advanceMillis(5);
    MessageRecord failed = sent("m1", 1).merge(0, DeliveryStatus.FAILED, "E42", clock.instant());
    other.save(failed);
    clock.advanceMillis(5);
    ReportMerge here = mine.mergeReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant()).orElseThrow();
    // FAILED is final: the late DELIVERED changes nothing, and the answer is the row, not what this store wrote
    assertThat(here.changed()).isFalse();
    assertThat(here.record()).isEqualTo(failed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("merges on the store that recorded the send: each applied once, the duplicate changes nothing")
  void mergesOnTheRecordingStore(String engine) {
    open(engine);
    mine.recordSent(sent("m1", 2), "smpp", List.of("p1", "p2"));
    clock.advanceMillis(5);
    ReportMerge first = mine.mergeReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant()).orElseThrow();
    assertThat(first.changed()).isTrue();
    assertThat(first.record().status()).isNotEqualTo(DeliveryStatus.DELIVERED);
    clock.advanceMillis(5);
    assertThat(mine.mergeReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant()).orElseThrow().changed())
        .isFalse();
    ReportMerge second = mine.mergeReport("m1", 1, DeliveryStatus.DELIVERED, "0", clock.instant()).orElseThrow();
    assertThat(second.record().status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(second.record().errorCode()).isEqualTo("0");
    assertThat(other.find("m1")).contains(second.record());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("8 threads on two stores taking the same parked reports (and others' at once): each report is taken"
      + " exactly once, oldest first")
  void parkedTakenOnce(String engine) throws Exception {
    open(engine);
    for (int k = 0; k < 4; k++) {
      mine.park(report("p" + k, DeliveryStatus.DELIVERED, START.plusSeconds(2)), START.plusSeconds(3600));
      mine.park(report("p" + k, DeliveryStatus.SENT, START.plusSeconds(1)), START.plusSeconds(3600));
    }
    List<List<DeliveryReport>> taken = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> takers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      MessageStore store = t % 2 == 0 ? mine : other;
      String key = "p" + (t % 4);
      takers.add(CompletableFuture.runAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        taken.add(store.takeParked("smpp", key));
      }));
    }
    go.countDown();
    CompletableFuture.allOf(takers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    List<List<DeliveryReport>> nonEmpty = taken.stream().filter(l -> !l.isEmpty()).toList();
    assertThat(nonEmpty).hasSize(4);
    for (List<DeliveryReport> reports : nonEmpty) {
      assertThat(reports).extracting(DeliveryReport::status)
          .containsExactly(DeliveryStatus.SENT, DeliveryStatus.DELIVERED);
      assertThat(reports).extracting(DeliveryReport::providerMessageId)
          .containsOnly(reports.get(0).providerMessageId());
    }
    assertThat(nonEmpty.stream().map(l -> l.get(0).providerMessageId()).distinct()).hasSize(4);
  }

  private static DeliveryReport report(String providerId, DeliveryStatus status, Instant at) {
    return DeliveryReport.builder().provider("smpp").providerMessageId(providerId).status(status).rawStatus("x")
        .occurredAt(at).build();
  }
}
