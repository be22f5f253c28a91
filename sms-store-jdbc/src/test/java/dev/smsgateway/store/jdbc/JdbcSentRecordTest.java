package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ProviderLink;
import dev.smsgateway.test.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sent record with its provider links, H2 and PostgreSQL (where record and links are one statement): what the
 * gateway writes when a send is accepted, read back as the report path reads it.
 */
class JdbcSentRecordTest {

  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final EngineStores engines = new EngineStores(clock);
  private MessageStore store;

  private void open(String engine) {
    store = engines.open(engine).messageStore();
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
  @DisplayName("a record with a link per part, one without links, and one whose provider answered the same id for two"
      + " parts (the later part keeps the link, as one upsert per id in order leaves it)")
  void recordsAndLinks(String engine) {
    open(engine);
    store.recordSent(sent("m1", 3), "smpp", List.of("p1", "p2", "p3"));
    store.recordSent(sent("m2", 1), null, List.of());
    store.recordSent(sent("m3", 3), "smpp", List.of("q1", "q2", "q1"));
    assertThat(store.find("m1")).isPresent();
    assertThat(store.find("m2")).map(MessageRecord::messageId).contains("m2");
    assertThat(store.findLink("smpp", "p1")).contains(new ProviderLink("m1", 0));
    assertThat(store.findLink("smpp", "p3")).contains(new ProviderLink("m1", 2));
    assertThat(store.findLink("smpp", "q1")).contains(new ProviderLink("m3", 2));
    assertThat(store.findLink("smpp", "q2")).contains(new ProviderLink("m3", 1));
    // sent again (a retried record): the row is replaced, the links point at it
    store.recordSent(sent("m1", 3), "smpp", List.of("p1", "p2", "p3"));
    assertThat(store.findLink("smpp", "p2")).contains(new ProviderLink("m1", 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("concurrent sent records (sharing group commits) are each stored with their own links")
  void concurrent(String engine) throws Exception {
    open(engine);
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      writes.add(store.recordSentAsync(sent("c" + i, 2), "smpp", List.of("x" + i + "a", "x" + i + "b")));
    }
    CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      assertThat(store.find("c" + i)).as("record %d", i).isPresent();
      assertThat(store.findLink("smpp", "x" + i + "b")).as("link %d", i).contains(new ProviderLink("c" + i, 1));
    }
  }
}
