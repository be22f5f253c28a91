package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.test.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conversation updates are group-committed statements: one that breaks the open key's uniqueness (an ended
 * conversation re-opened while another is open for the pair) is refused like a lost race, and the updates that
 * shared its group still apply.
 */
class JdbcConversationUpdateTest {

  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+4915112345678");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final EngineStores engines = new EngineStores(clock);
  private ConversationStore store;

  private void open(String engine) {
    store = engines.open(engine).conversationStore();
  }

  @AfterEach
  void close() throws Exception {
    engines.close();
  }

  private Conversation candidate(PhoneNumber customer) {
    return Conversation.open(UUID.randomUUID().toString(), customer, BUSINESS, "sales", new RouteTarget.Agent("a1"),
        clock.instant());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("re-opening an ended conversation while another is open for the pair is refused; concurrent updates of"
      + " other conversations apply")
  void reopenRefused(String engine) throws Exception {
    open(engine);
    Conversation first = store.openIfAbsent(candidate(CUSTOMER));
    Conversation ended = first.ended(Conversation.EndReason.AGENT, clock.instant());
    assertThat(store.update(ended)).isTrue();
    Conversation second = store.openIfAbsent(candidate(CUSTOMER));
    Conversation reopened = new Conversation(ended.id(), CUSTOMER, BUSINESS, "sales", Conversation.State.ASSIGNED,
        ended.target(), ended.openedAt(), clock.instant(), null, null, ended.version() + 1);
    List<Conversation> others = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      others.add(store.openIfAbsent(candidate(PhoneNumber.of("+49151000000" + (10 + i)))));
    }
    clock.advanceMillis(5);
    List<CompletableFuture<Boolean>> touches = new ArrayList<>();
    for (Conversation c : others) {
      touches.add(CompletableFuture.supplyAsync(() -> store.update(c.touched(clock.instant()))));
    }
    assertThat(store.update(reopened)).isFalse();
    for (CompletableFuture<Boolean> t : touches) {
      assertThat(t.get(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(store.find(first.id())).contains(ended);
    assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(second);
    for (Conversation c : others) {
      assertThat(store.find(c.id()).orElseThrow().version()).isEqualTo(c.version() + 1);
    }
  }
}
