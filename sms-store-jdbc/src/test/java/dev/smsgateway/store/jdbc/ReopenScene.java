package dev.smsgateway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.test.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The stored state of the re-open tests ({@link JdbcConversationUpdateTest}, {@link JdbcConversationUpdateAndAppendTest}):
 * the customer's first conversation ended, a second one open for the same pair, the first's re-opening (the next
 * version of the ended one, open again), and 16 other customers' open conversations to update beside it. The clock
 * is 5 ms past the openings when it returns.
 */
record ReopenScene(Conversation first, Conversation ended, Conversation second, Conversation reopened,
    List<Conversation> others) {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+4915112345678");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  static ReopenScene set(ConversationStore store, MutableClock clock) {
    Conversation first = store.openIfAbsent(candidate(CUSTOMER, clock));
    Conversation ended = first.ended(Conversation.EndReason.AGENT, clock.instant());
    assertThat(store.update(ended)).isTrue();
    Conversation second = store.openIfAbsent(candidate(CUSTOMER, clock));
    Conversation reopened = new Conversation(ended.id(), CUSTOMER, BUSINESS, "sales", Conversation.State.ASSIGNED,
        ended.target(), ended.openedAt(), clock.instant(), null, null, ended.version() + 1);
    List<Conversation> others = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      others.add(store.openIfAbsent(candidate(PhoneNumber.of("+49151000000" + (10 + i)), clock)));
    }
    clock.advanceMillis(5);
    return new ReopenScene(first, ended, second, reopened, List.copyOf(others));
  }

  /** A new conversation of {@code customer} with the business number, for agent a1, opened now. */
  static Conversation candidate(PhoneNumber customer, MutableClock clock) {
    return Conversation.open(UUID.randomUUID().toString(), customer, BUSINESS, "sales", new RouteTarget.Agent("a1"),
        clock.instant());
  }
}
