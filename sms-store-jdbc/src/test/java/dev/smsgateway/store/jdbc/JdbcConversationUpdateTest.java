package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
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
 * Conversation updates are group-committed statements: one that breaks the open key's uniqueness (an ended
 * conversation re-opened while another is open for the pair) is refused like a lost race, and the updates that
 * shared its group still apply.
 */
class JdbcConversationUpdateTest {

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


  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  @DisplayName("re-opening an ended conversation while another is open for the pair is refused; concurrent updates of"
      + " other conversations apply")
  void reopenRefused(String engine) throws Exception {
    open(engine);
    ReopenScene scene = ReopenScene.set(store, clock);
    List<CompletableFuture<Boolean>> touches = new ArrayList<>();
    for (Conversation c : scene.others()) {
      touches.add(CompletableFuture.supplyAsync(() -> store.update(c.touched(clock.instant()))));
    }
    assertThat(store.update(scene.reopened())).isFalse();
    for (CompletableFuture<Boolean> t : touches) {
      assertThat(t.get(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(store.find(scene.first().id())).contains(scene.ended());
    assertThat(store.findOpen(ReopenScene.CUSTOMER, ReopenScene.BUSINESS)).contains(scene.second());
    for (Conversation c : scene.others()) {
      assertThat(store.find(c.id()).orElseThrow().version()).isEqualTo(c.version() + 1);
    }
  }
}
