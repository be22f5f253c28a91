package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.MutableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A conversation opened with its first transcript line ({@link ConversationStore#openIfAbsent(Conversation,
 * TranscriptEntry)}) is one write: when the line cannot be stored, neither is the conversation (the SPI's default, two
 * writes, would leave the conversation without its line).
 */
class JdbcConversationOpenWithLineTest {

  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+4915112345678");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final EngineStores engines = new EngineStores(clock);
  private DataSource dataSource;
  private ConversationStore store;

  private void open(String engine) {
    dataSource = engines.database(engine);
    store = engines.stores(dataSource).conversationStore();
  }

  @AfterEach
  void close() throws Exception {
    engines.close();
  }

  private Conversation candidate() {
    return Conversation.open(UUID.randomUUID().toString(), CUSTOMER, BUSINESS, "sales", new RouteTarget.Agent("a1"),
        clock.instant());
  }

  private static TranscriptEntry line(Conversation c, String text) {
    return new TranscriptEntry(c.id(), c.openedAt(), TranscriptEntry.Direction.OUTBOUND, "a1", text, "m-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("a first line the database refuses leaves no conversation behind; the next opening succeeds")
  void atomic(String engine) throws Exception {
    open(engine);
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE sms_transcript ADD CONSTRAINT sms_test_no_poison CHECK (body <> 'poison')");
    }
    Conversation refused = candidate();
    assertThatThrownBy(() -> store.openIfAbsent(refused, line(refused, "poison")))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.findOpen(CUSTOMER, BUSINESS)).isEmpty();
    assertThat(store.find(refused.id())).isEmpty();

    Conversation next = candidate();
    assertThat(store.openIfAbsent(next, line(next, "hello"))).isEqualTo(next);
    assertThat(store.transcript(next.id())).containsExactly(line(next, "hello"));
  }
}
