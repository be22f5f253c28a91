package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.MutableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ConversationStore#updateAndAppend} is one write: on PostgreSQL one statement, which concurrent callers share
 * as one JDBC batch of their group; on both engines the update and the line are stored together or not at all, and a
 * re-open that breaks the open key's uniqueness is refused like a lost race, without its line.
 */
class JdbcConversationUpdateAndAppendTest {

  private static final PhoneNumber CUSTOMER = ReopenScene.CUSTOMER;
  private static final Originator BUSINESS = ReopenScene.BUSINESS;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final EngineStores engines = new EngineStores(clock);
  private DataSource database;
  private GatedDataSource gated;
  private JdbcStores stores;
  private ConversationStore store;
  private ExecutorService callers;

  private void open(String engine) {
    database = engines.database(engine);
    gated = new GatedDataSource(database);
    stores = engines.stores(gated);
    store = stores.conversationStore();
  }

  @AfterEach
  void close() throws Exception {
    if (gated != null) {
      gated.open();
    }
    if (callers != null) {
      callers.shutdownNow();
    }
    engines.close();
  }

  private Conversation candidate(PhoneNumber customer) {
    return ReopenScene.candidate(customer, clock);
  }

  private TranscriptEntry reply(Conversation c, String text) {
    return new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.INBOUND, "customer", text,
        "SM-" + text);
  }

  @Test
  @DisplayName("PostgreSQL: a lone call is one statement, neither the update's nor the append's")
  void oneStatement() {
    open("postgres");
    Conversation c = store.openIfAbsent(candidate(CUSTOMER));
    gated.resetCounts();
    Conversation touched = c.touched(clock.instant().plusSeconds(1));
    TranscriptEntry line = reply(c, "hello");
    assertThat(store.updateAndAppend(touched, line)).isTrue();
    assertThat(gated.prepared(JdbcConversationStore.UPDATE_WITH_LINE)).isEqualTo(1);
    assertThat(gated.prepared(JdbcConversationStore.UPDATE)).isZero();
    assertThat(gated.prepared(JdbcConversationStore.APPEND)).isZero();
    assertThat(store.find(c.id())).contains(touched);
    assertThat(store.transcript(c.id())).containsExactly(line);
  }

  @Test
  @DisplayName("PostgreSQL: joinOpen (the interface's default: a look-up, then updateAndAppend) writes one statement")
  void joinOpenOneStatement() {
    open("postgres");
    Conversation c = store.openIfAbsent(candidate(CUSTOMER));
    gated.resetCounts();
    Instant later = clock.instant().plusSeconds(1);
    assertThat(store.<String>joinOpen(CUSTOMER, BUSINESS, later, later, TranscriptEntry.Direction.INBOUND, "customer",
        "hello", "SM-hello", (id, target) -> id)).isEqualTo(c.id());
    assertThat(gated.prepared(JdbcConversationStore.UPDATE_WITH_LINE)).isEqualTo(1);
    assertThat(gated.prepared(JdbcConversationStore.UPDATE)).isZero();
    assertThat(gated.prepared(JdbcConversationStore.APPEND)).isZero();
    assertThat(store.find(c.id())).contains(c.touched(later));
    assertThat(store.transcript(c.id())).extracting(TranscriptEntry::text).containsExactly("hello");
  }

  @Test
  @DisplayName("PostgreSQL: 16 concurrent callers' calls queued into one group are one statement (one JDBC batch),"
      + " each answering for its own conversation")
  void concurrentCallersShareOneBatch() throws Exception {
    open("postgres");
    List<Conversation> conversations = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      conversations.add(store.openIfAbsent(candidate(PhoneNumber.of("+49151000000" + (10 + i)))));
    }
    Conversation stale = conversations.get(3);
    assertThat(store.update(stale.touched(clock.instant()))).isTrue(); // its call below loses
    clock.advance(Duration.ofSeconds(1));
    gated.resetCounts();

    holdFlushers();
    callers = Executors.newFixedThreadPool(16);
    List<CompletableFuture<Boolean>> answers = new ArrayList<>();
    for (Conversation c : conversations) {
      answers.add(CompletableFuture.supplyAsync(() -> store.updateAndAppend(c.touched(clock.instant()),
          reply(c, "line-" + c.customer().e164())), callers));
    }
    Eventually.await("16 calls queued", Duration.ofSeconds(5), () -> queued() == 16);
    gated.admit(1); // one flusher writes its look-up, then takes the 16 calls as one group
    Eventually.await("one flusher took the group", Duration.ofSeconds(5), () -> gated.arrived() == 3);
    gated.open();

    for (int i = 0; i < 16; i++) {
      Conversation c = conversations.get(i);
      boolean expected = c != stale;
      assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).as("call %d", i).isEqualTo(expected);
      assertThat(store.find(c.id()).orElseThrow().version()).isEqualTo(c.version() + 1);
      assertThat(store.transcript(c.id())).as("transcript %d", i)
          .hasSize(expected ? 1 : 0)
          .allSatisfy(e -> assertThat(e.text()).isEqualTo("line-" + c.customer().e164()));
    }
    assertThat(gated.prepared(JdbcConversationStore.UPDATE_WITH_LINE)).isEqualTo(1);
    assertThat(gated.prepared(JdbcConversationStore.UPDATE)).isZero();
    assertThat(gated.prepared(JdbcConversationStore.APPEND)).isZero();
  }

  /** Both group-commit flushers waiting for a connection, each with a lone opt-out look-up. */
  private void holdFlushers() throws InterruptedException {
    gated.hold();
    stores.optOutStore().isOptedOutAsync(PhoneNumber.of("+14155554999"));
    Eventually.await("the first flusher waits", Duration.ofSeconds(5), () -> gated.arrived() == 1);
    stores.optOutStore().isOptedOutAsync(PhoneNumber.of("+14155554998"));
    Eventually.await("the second flusher waits", Duration.ofSeconds(5), () -> gated.arrived() == 2);
  }

  /** How many writes wait for a flusher (the stores' group commit has no accessor outside its class). */
  private int queued() {
    try {
      java.lang.reflect.Field jdbc = JdbcStores.class.getDeclaredField("jdbc");
      jdbc.setAccessible(true);
      java.lang.reflect.Field group = Jdbc.class.getDeclaredField("groupCommit");
      group.setAccessible(true);
      return ((GroupCommit) group.get(jdbc.get(stores))).queued();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("a line the database refuses leaves the conversation as it was; the next call succeeds")
  void atomic(String engine) throws Exception {
    open(engine);
    Conversation c = store.openIfAbsent(candidate(CUSTOMER));
    try (Connection connection = database.getConnection(); Statement st = connection.createStatement()) {
      st.execute("ALTER TABLE sms_transcript ADD CONSTRAINT sms_test_no_poison CHECK (body <> 'poison')");
    }
    Conversation touched = c.touched(clock.instant().plusSeconds(1));
    assertThatThrownBy(() -> store.updateAndAppend(touched, reply(c, "poison"))).isInstanceOf(RuntimeException.class);
    assertThat(store.find(c.id())).contains(c);
    assertThat(store.transcript(c.id())).isEmpty();

    TranscriptEntry line = reply(c, "hello");
    assertThat(store.updateAndAppend(touched, line)).isTrue();
    assertThat(store.find(c.id())).contains(touched);
    assertThat(store.transcript(c.id())).containsExactly(line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("re-opening an ended conversation while another is open for the pair: false and no line, as update"
      + " answers; concurrent calls for other conversations apply with their lines")
  void reopenRefused(String engine) throws Exception {
    open(engine);
    ReopenScene scene = ReopenScene.set(store, clock);
    List<CompletableFuture<Boolean>> touches = new ArrayList<>();
    for (Conversation c : scene.others()) {
      touches.add(CompletableFuture.supplyAsync(() -> store.updateAndAppend(c.touched(clock.instant()),
          reply(c, "other"))));
    }
    assertThat(store.updateAndAppend(scene.reopened(), reply(scene.first(), "reopen"))).isFalse();
    for (CompletableFuture<Boolean> t : touches) {
      assertThat(t.get(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(store.find(scene.first().id())).contains(scene.ended());
    assertThat(store.transcript(scene.first().id())).isEmpty();
    assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(scene.second());
    for (Conversation c : scene.others()) {
      assertThat(store.find(c.id()).orElseThrow().version()).isEqualTo(c.version() + 1);
      assertThat(store.transcript(c.id())).extracting(TranscriptEntry::text).containsExactly("other");
    }
  }
}
