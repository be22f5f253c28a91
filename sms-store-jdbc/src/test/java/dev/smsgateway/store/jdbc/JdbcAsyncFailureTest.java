package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.MutableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The asynchronous store calls when the database refuses them (here: their table is gone), on both engines: the call
 * returns a future rather than throwing, and the future fails with the {@link SmsTransportException} the synchronous
 * twin throws, soon (the group that failed ran its writes again one by one; no caller is left waiting).
 */
class JdbcAsyncFailureTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final MutableClock clock = new MutableClock(T0);
  private final EngineStores engines = new EngineStores(clock);
  private DataSource database;
  private JdbcStores stores;

  @AfterEach
  void close() throws Exception {
    engines.close();
  }

  private void openWithout(String engine, String table) throws Exception {
    database = engines.database(engine);
    stores = engines.stores(database);
    try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE " + table + " CASCADE");
    }
  }

  /** The future {@code call} returns fails with the store's error, as {@code sync} throws it. */
  private static void failsLikeSync(Supplier<CompletableFuture<?>> call, Runnable sync) throws Exception {
    CompletableFuture<?> f = call.get();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(SmsTransportException.class);
    assertThatThrownBy(sync::run).isInstanceOf(SmsTransportException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("isOptedOutAsync without sms_opt_out: the future fails with the store's error,"
      + " as the synchronous twin throws")
  void isOptedOutAsync(String engine) throws Exception {
    openWithout(engine, "sms_opt_out");
    failsLikeSync(() -> stores.optOutStore().isOptedOutAsync(CUSTOMER),
        () -> stores.optOutStore().isOptedOut(CUSTOMER));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("replaceAsync without sms_originator: the future fails with the store's error,"
      + " as the synchronous twin throws")
  void replaceAsync(String engine) throws Exception {
    openWithout(engine, "sms_originator");
    OriginatorRecord r = OriginatorRecord.of(CUSTOMER, BUSINESS, "alice", "Hi", "m1", T0, Duration.ofHours(1));
    failsLikeSync(() -> stores.originatorStore().replaceAsync(r), () -> stores.originatorStore().replace(r));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("mergeReportAsync without sms_message: the future fails with the store's error,"
      + " as the synchronous twin throws")
  void mergeReportAsync(String engine) throws Exception {
    openWithout(engine, "sms_message");
    failsLikeSync(() -> stores.messageStore().mergeReportAsync("m1", 0, DeliveryStatus.DELIVERED, null, T0),
        () -> stores.messageStore().mergeReport("m1", 0, DeliveryStatus.DELIVERED, null, T0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("takeParkedAsync without sms_parked_report: the future fails with the store's error,"
      + " as the synchronous twin throws")
  void takeParkedAsync(String engine) throws Exception {
    openWithout(engine, "sms_parked_report");
    failsLikeSync(() -> stores.messageStore().takeParkedAsync("primary", "p1"),
        () -> stores.messageStore().takeParked("primary", "p1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("openIfAbsentAsync without sms_transcript (the line's insert fails: nothing opened): the future fails"
      + " with the store's error, as the synchronous twin throws")
  void openIfAbsentAsync(String engine) throws Exception {
    openWithout(engine, "sms_transcript");
    Conversation c = Conversation.open("c1", CUSTOMER, BUSINESS, "main", new RouteTarget.Agent("alice"), T0);
    TranscriptEntry line = new TranscriptEntry("c1", T0, TranscriptEntry.Direction.OUTBOUND, "alice", "Hi", "m1");
    CompletableFuture<Conversation> f = stores.conversationStore().openIfAbsentAsync(c, line);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(SmsTransportException.class);
    // the conversation and its first line are one write: without the line, nothing is opened
    assertThat(stores.conversationStore().findOpen(CUSTOMER, BUSINESS)).isEmpty();
    assertThat(stores.conversationStore().find("c1")).isEmpty();
    assertThatThrownBy(() -> stores.conversationStore().openIfAbsent(c, line))
        .isInstanceOf(SmsTransportException.class);
    assertThat(stores.conversationStore().findOpen(CUSTOMER, BUSINESS)).isEmpty();
  }
}
