package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.ReportMerge;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The asynchronous store calls when several of them share one group commit, on both engines: the test holds both
 * flushers (their connections wait in a {@link GatedDataSource}), queues the calls, then lets one flusher through,
 * which takes them all as one group. On PostgreSQL the calls of one kind are then one statement (opt-out look-ups,
 * parked takes, originator claims); on H2 each is its own work in the group's transaction. Either way each caller gets
 * the answer it would have got alone, in queue order.
 */
class JdbcAsyncGroupTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final MutableClock clock = new MutableClock(T0);
  private final EngineStores engines = new EngineStores(clock);
  private GatedDataSource gated;
  private JdbcStores stores;

  @AfterEach
  void close() throws Exception {
    if (gated != null) {
      gated.open();
    }
    engines.close();
  }

  private void open(String engine) {
    gated = new GatedDataSource(engines.database(engine));
    stores = engines.stores(gated);
  }

  private static PhoneNumber customer(int i) {
    return PhoneNumber.of(String.format("+1415555%04d", 4000 + i));
  }

  /**
   * Runs {@code enqueue} (at most 62 calls) while both flushers wait for a connection, each with a lone look-up, then
   * lets one flusher through: it writes its look-up, then takes everything {@code enqueue} queued as one group.
   */
  private <T> T inOneGroup(Supplier<T> enqueue) throws Exception {
    List<CompletableFuture<Boolean>> holding = holdFlushers();
    T queued = enqueue.get();
    gated.admit(1);
    Eventually.await("one flusher took the group", Duration.ofSeconds(5), () -> gated.arrived() == 3);
    gated.open();
    for (CompletableFuture<Boolean> f : holding) {
      get(f);
    }
    return queued;
  }

  /** Both flushers waiting for a connection, each with a lone look-up (their futures). */
  private List<CompletableFuture<Boolean>> holdFlushers() throws InterruptedException {
    gated.hold();
    CompletableFuture<Boolean> first = stores.optOutStore().isOptedOutAsync(customer(999));
    Eventually.await("the first flusher waits", Duration.ofSeconds(5), () -> gated.arrived() == 1);
    CompletableFuture<Boolean> second = stores.optOutStore().isOptedOutAsync(customer(998));
    Eventually.await("the second flusher waits", Duration.ofSeconds(5), () -> gated.arrived() == 2);
    return List.of(first, second);
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("60 opt-out look-ups queued by 6 threads into one group each get their own customer's answer")
  void optOutLookups(String engine) throws Exception {
    open(engine);
    for (int i = 0; i < 30; i++) {
      if (i % 3 != 2) {
        stores.optOutStore().record(new OptOutRecord(customer(i), i % 3 == 0, i % 3 == 0 ? "STOP" : "START", "sms",
            T0));
      }
    }
    gated.resetCounts();
    List<CompletableFuture<Boolean>> answers = inOneGroup(() -> lookUpConcurrently(60));
    for (int k = 0; k < 60; k++) {
      assertThat(get(answers.get(k))).as("look-up %d of customer %d", k, k % 30).isEqualTo((k % 30) % 3 == 0);
    }
    if (engine.equals("postgres")) {
      // the two lone look-ups that held the flushers, one each; the group's 60 in one query
      assertThat(gated.prepared(JdbcOptOutStore.FIND_ALL)).isEqualTo(1);
      assertThat(gated.prepared(JdbcOptOutStore.FIND_ONE)).isEqualTo(2);
    }
  }

  /** {@code n} look-ups of customers 0..29 (round robin) queued from 6 threads; futures in look-up order. */
  private List<CompletableFuture<Boolean>> lookUpConcurrently(int n) {
    List<CompletableFuture<Boolean>> answers = Collections.synchronizedList(new ArrayList<>(
        Collections.nCopies(n, null)));
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int first = t;
        done.add(callers.submit(() -> {
          for (int k = first; k < n; k += 6) {
            answers.set(k, stores.optOutStore().isOptedOutAsync(customer(k % 30)));
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      callers.shutdownNow();
    }
    return answers;
  }

  @Test
  @DisplayName("PostgreSQL: 200 concurrent opt-out look-ups share statements (fewer queries than calls)")
  void optOutLookupsShareQueries() throws Exception {
    open("postgres");
    for (int i = 0; i < 30; i++) {
      stores.optOutStore().record(new OptOutRecord(customer(i), i % 2 == 0, "STOP", "sms", T0));
    }
    gated.resetCounts();
    List<CompletableFuture<Boolean>> answers = inOneGroupOrMore(200);
    for (int k = 0; k < 200; k++) {
      assertThat(get(answers.get(k))).as("look-up %d", k).isEqualTo((k % 30) % 2 == 0);
    }
    int queries = gated.prepared(JdbcOptOutStore.FIND_ALL)
        + gated.prepared(JdbcOptOutStore.FIND_ONE);
    // 2 lone look-ups holding the flushers, then 200 queued: groups of at most 64 (4), one query each, and the two
    // flushers may split the last few into two groups
    assertThat(queries).isGreaterThanOrEqualTo(2 + 4).isLessThanOrEqualTo(2 + 5);
  }

  /** {@code n} look-ups queued while both flushers are held, then all flushers let through. */
  private List<CompletableFuture<Boolean>> inOneGroupOrMore(int n) throws Exception {
    List<CompletableFuture<Boolean>> holding = holdFlushers();
    List<CompletableFuture<Boolean>> answers = lookUpConcurrently(n);
    gated.open();
    for (CompletableFuture<Boolean> f : holding) {
      get(f);
    }
    return answers;
  }

  private DeliveryReport park(String providerMessageId, DeliveryStatus status, int second) {
    DeliveryReport r = DeliveryReport.builder().provider("primary").providerMessageId(providerMessageId)
        .status(status).occurredAt(T0.plusSeconds(second)).build();
    stores.messageStore().park(r, T0.plus(Duration.ofHours(1)));
    return r;
  }

  private static List<String> statuses(List<DeliveryReport> reports) {
    return reports.stream().map(r -> r.providerMessageId() + " " + r.status()).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("parked takes of one group: each key's reports to its first taker, oldest first; a key asked again in"
      + " the group, or never parked, gets none")
  void parkedTakes(String engine) throws Exception {
    open(engine);
    park("a", DeliveryStatus.DELIVERED, 1);
    park("b", DeliveryStatus.FAILED, 1);
    park("c", DeliveryStatus.DELIVERED, 2);
    park("c", DeliveryStatus.SENT, 1);
    gated.resetCounts();
    List<String> keys = List.of("a", "c", "a", "b", "c", "none");
    List<CompletableFuture<List<DeliveryReport>>> takes = inOneGroup(() -> keys.stream()
        .map(k -> stores.messageStore().takeParkedAsync("primary", k)).toList());
    List<List<String>> got = new ArrayList<>();
    for (CompletableFuture<List<DeliveryReport>> f : takes) {
      got.add(statuses(get(f)));
    }
    assertThat(got).containsExactly(List.of("a DELIVERED"), List.of("c SENT", "c DELIVERED"), List.of(),
        List.of("b FAILED"), List.of(), List.of());
    if (engine.equals("postgres")) {
      assertThat(gated.prepared(JdbcParkedReports.TAKE_ALL)).isEqualTo(1);
    }
    assertThat(stores.messageStore().takeParked("primary", "c")).isEmpty();
  }

  private OriginatorRecord claim(PhoneNumber customer, String agent) {
    return OriginatorRecord.of(customer, BUSINESS, agent, "Hi, this is " + agent, "msg-" + agent, clock.instant(),
        Duration.ofHours(24));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("originator claims of one group: each returns the record before it, also a pair claimed twice in the"
      + " group (the second gets the first)")
  void claims(String engine) throws Exception {
    open(engine);
    OriginatorRecord alice = claim(customer(1), "alice");
    stores.originatorStore().put(alice);
    clock.advance(Duration.ofSeconds(1));
    OriginatorRecord bob = claim(customer(1), "bob");
    OriginatorRecord carol = claim(customer(2), "carol");
    clock.advance(Duration.ofSeconds(1));
    OriginatorRecord dave = claim(customer(1), "dave");
    gated.resetCounts();
    List<CompletableFuture<Optional<OriginatorRecord>>> claims = inOneGroup(() -> List.of(
        stores.originatorStore().replaceAsync(bob), stores.originatorStore().replaceAsync(carol),
        stores.originatorStore().replaceAsync(dave)));
    assertThat(get(claims.get(0))).contains(alice);
    assertThat(get(claims.get(1))).isEmpty();
    assertThat(get(claims.get(2))).contains(bob);
    assertThat(stores.originatorStore().find(customer(1), BUSINESS)).contains(dave);
    assertThat(stores.originatorStore().find(customer(2), BUSINESS)).contains(carol);
    if (engine.equals("postgres")) {
      assertThat(gated.prepared(JdbcOriginatorStore.REPLACE_ALL)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("report merges of one group into one remembered message: every part lands, each answers changed, and"
      + " of a report queued twice only the first does")
  void merges(String engine) throws Exception {
    open(engine);
    MessageRecord sent = EngineStores.sentRecord("m1", 4, clock.instant());
    stores.messageStore().recordSent(sent, "smpp", List.of("p0", "p1", "p2", "p3"));
    clock.advance(Duration.ofSeconds(1));
    Instant at = clock.instant();
    List<CompletableFuture<Optional<ReportMerge>>> merges = inOneGroup(() -> List.of(
        stores.messageStore().mergeReportAsync("m1", 0, DeliveryStatus.DELIVERED, null, at),
        stores.messageStore().mergeReportAsync("m1", 1, DeliveryStatus.DELIVERED, null, at),
        stores.messageStore().mergeReportAsync("m1", 0, DeliveryStatus.DELIVERED, null, at),
        stores.messageStore().mergeReportAsync("m1", 2, DeliveryStatus.DELIVERED, null, at),
        stores.messageStore().mergeReportAsync("m1", 3, DeliveryStatus.FAILED, "0x0B", at)));
    List<Boolean> changed = new ArrayList<>();
    for (CompletableFuture<Optional<ReportMerge>> f : merges) {
      changed.add(get(f).orElseThrow().changed());
    }
    assertThat(changed).containsExactly(true, true, false, true, true);
    MessageRecord r = stores.messageStore().find("m1").orElseThrow();
    assertThat(r.partStatuses()).containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED,
        DeliveryStatus.DELIVERED, DeliveryStatus.FAILED);
    assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(r.errorCode()).isEqualTo("0x0B");
  }

  private Conversation candidate(PhoneNumber customer) {
    return Conversation.open(java.util.UUID.randomUUID().toString(), customer, BUSINESS, "main",
        new RouteTarget.Agent("alice"), clock.instant());
  }

  private TranscriptEntry line(Conversation c, String messageId) {
    return new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice", "Hi",
        messageId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("openings of one group: the first candidate of a pair opens with its line, the second gets it and"
      + " writes nothing, another pair opens its own")
  void openings(String engine) throws Exception {
    open(engine);
    Conversation first = candidate(customer(1));
    Conversation second = candidate(customer(1));
    Conversation other = candidate(customer(2));
    TranscriptEntry firstLine = line(first, "m-first");
    TranscriptEntry otherLine = line(other, "m-other");
    List<CompletableFuture<Conversation>> opened = inOneGroup(() -> List.of(
        stores.conversationStore().openIfAbsentAsync(first, firstLine),
        stores.conversationStore().openIfAbsentAsync(second, line(second, "m-second")),
        stores.conversationStore().openIfAbsentAsync(other, otherLine)));
    assertThat(get(opened.get(0))).isEqualTo(first);
    assertThat(get(opened.get(1))).isEqualTo(first);
    assertThat(get(opened.get(2))).isEqualTo(other);
    assertThat(stores.conversationStore().transcript(first.id())).containsExactly(firstLine);
    assertThat(stores.conversationStore().transcript(second.id())).isEmpty();
    assertThat(stores.conversationStore().find(second.id())).isEmpty();
    assertThat(stores.conversationStore().transcript(other.id())).containsExactly(otherLine);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("the five asynchronous calls complete on the stores' completion threads, never on a flusher or the"
      + " caller's thread")
  void completionThreads(String engine) throws Exception {
    open(engine);
    stores.messageStore().recordSent(EngineStores.sentRecord("m1", 1, T0), "smpp", List.of("p1"));
    park("p1", DeliveryStatus.DELIVERED, 1);
    Conversation c = candidate(customer(1));
    String caller = Thread.currentThread().getName();
    List<CompletableFuture<String>> threads = inOneGroup(() -> List.of(
        stores.optOutStore().isOptedOutAsync(customer(1)).thenApply(r -> Thread.currentThread().getName()),
        stores.originatorStore().replaceAsync(claim(customer(1), "alice"))
            .thenApply(r -> Thread.currentThread().getName()),
        stores.messageStore().mergeReportAsync("m1", 0, DeliveryStatus.DELIVERED, null, T0)
            .thenApply(r -> Thread.currentThread().getName()),
        stores.messageStore().takeParkedAsync("primary", "p1").thenApply(r -> Thread.currentThread().getName()),
        stores.conversationStore().openIfAbsentAsync(c, line(c, "m-1"))
            .thenApply(r -> Thread.currentThread().getName())));
    for (CompletableFuture<String> f : threads) {
      assertThat(get(f)).startsWith("sms-jdbc-completion-").isNotEqualTo(caller);
    }
  }
}
