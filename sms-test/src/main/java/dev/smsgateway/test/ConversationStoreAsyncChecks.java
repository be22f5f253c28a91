package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link ConversationStoreCompatibilityKit} that checks
 * {@link ConversationStore#openIfAbsentAsync(Conversation, TranscriptEntry)}: it answers what its synchronous twin
 * answers, what it wrote is visible once its future completed, a line of another conversation is refused at once, and
 * concurrent openings each get the pair's one conversation. A class of its own only to keep the kit's file to a
 * readable size; extend the kit, not this.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
abstract class ConversationStoreAsyncChecks extends StoreCompatibilityKit<ConversationStore> {

  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  private static final RouteTarget ALICE = new RouteTarget.Agent("alice");

  ConversationStoreAsyncChecks() {}

  private Conversation candidate(PhoneNumber customer, Originator business) {
    return Conversation.open(UUID.randomUUID().toString(), customer, business, "main", ALICE, clock.instant());
  }

  private TranscriptEntry line(Conversation c, String messageId) {
    return new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice",
        "Hi, Alice here", messageId);
  }

  @Nested
  @DisplayName("openIfAbsentAsync")
  class AsyncOpen {

    @Test
    @DisplayName("a new pair: completes with the candidate, stored with its line once the future completed")
    void opensWithLine() {
      Conversation c = candidate(CUSTOMER, BUSINESS);
      TranscriptEntry first = line(c, "m-first");
      assertThat(store.openIfAbsentAsync(c, first).join()).isEqualTo(c);
      assertThat(store.find(c.id())).contains(c);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(c);
      assertThat(store.transcript(c.id())).containsExactly(first);
      assertThat(store.appendIfAbsent(first)).as("the line is there for appendIfAbsent").isFalse();
    }

    @Test
    @DisplayName("a second candidate for an open pair completes with the first, and nothing is written")
    void secondGetsFirst() {
      Conversation first = candidate(CUSTOMER, BUSINESS);
      TranscriptEntry firstLine = line(first, "m-first");
      store.openIfAbsentAsync(first, firstLine).join();
      Conversation second = candidate(CUSTOMER, BUSINESS);
      assertThat(store.openIfAbsentAsync(second, line(second, "m-second")).join()).isEqualTo(first);
      assertThat(store.find(second.id())).isEmpty();
      assertThat(store.transcript(first.id())).containsExactly(firstLine);
      assertThat(store.transcript(second.id())).isEmpty();
      // and the same when the open one came from the synchronous twin, without a line
      Conversation other = store.openIfAbsent(candidate(CUSTOMER, Originator.shortCode("12345", "US")));
      Conversation third = candidate(CUSTOMER, other.business());
      assertThat(store.openIfAbsentAsync(third, line(third, "m-third")).join()).isEqualTo(other);
      assertThat(store.transcript(other.id())).isEmpty();
      assertThat(store.transcript(third.id())).isEmpty();
    }

    @Test
    @DisplayName("after the pair's conversation ended, a new one opens with its line")
    void afterEnd() {
      Conversation first = candidate(CUSTOMER, BUSINESS);
      TranscriptEntry firstLine = line(first, "m-first");
      store.openIfAbsentAsync(first, firstLine).join();
      Conversation ended = first.ended(Conversation.EndReason.AGENT, clock.instant());
      assertThat(store.update(ended)).isTrue();
      Conversation next = candidate(CUSTOMER, BUSINESS);
      TranscriptEntry nextLine = line(next, "m-next");
      assertThat(store.openIfAbsentAsync(next, nextLine).join()).isEqualTo(next);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(next);
      assertThat(store.find(first.id())).contains(ended);
      assertThat(store.transcript(next.id())).containsExactly(nextLine);
      assertThat(store.transcript(first.id())).containsExactly(firstLine);
    }

    @Test
    @DisplayName("a line of another conversation: IllegalArgumentException at once, naming it; nothing stored")
    void foreignLine() {
      Conversation c = candidate(CUSTOMER, BUSINESS);
      Conversation other = candidate(CUSTOMER, BUSINESS);
      assertThatThrownBy(() -> store.openIfAbsentAsync(c, line(other, "m-x")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(other.id());
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).isEmpty();
      assertThat(store.transcript(c.id())).isEmpty();
      assertThat(store.transcript(other.id())).isEmpty();
    }

    @Test
    @DisplayName("8 concurrent openings of one pair with their lines: all get the same conversation, which holds"
        + " exactly its own line")
    void concurrentSamePair() {
      List<Conversation> candidates = new ArrayList<>();
      List<TranscriptEntry> lines = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Conversation c = candidate(CUSTOMER, BUSINESS);
        candidates.add(c);
        lines.add(line(c, "m-" + i));
      }
      List<CompletableFuture<Conversation>> opened = Concurrently.run(8,
          i -> store.openIfAbsentAsync(candidates.get(i), lines.get(i)));
      Conversation winner = opened.get(0).join();
      assertThat(opened).allSatisfy(f -> assertThat(f.join()).isEqualTo(winner));
      int w = candidates.indexOf(winner);
      assertThat(w).as("the winner is one of the candidates").isNotNegative();
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(winner);
      assertThat(store.transcript(winner.id())).containsExactly(lines.get(w));
      for (Conversation c : candidates) {
        if (!c.id().equals(winner.id())) {
          assertThat(store.find(c.id())).isEmpty();
        }
      }
    }

    @Test
    @DisplayName("40 concurrent openings of distinct pairs each complete with their own candidate and line")
    void concurrentDistinctPairs() {
      List<Conversation> candidates = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        candidates.add(candidate(PhoneNumber.of(String.format("+1415555%04d", 3000 + i)), BUSINESS));
      }
      List<CompletableFuture<Conversation>> opened = Collections.synchronizedList(new ArrayList<>(
          Collections.nCopies(40, null)));
      Concurrently.run(8, t -> {
        for (int i = t; i < 40; i += 8) {
          Conversation c = candidates.get(i);
          opened.set(i, store.openIfAbsentAsync(c, line(c, "m-" + i)));
        }
        return null;
      });
      for (int i = 0; i < 40; i++) {
        Conversation c = candidates.get(i);
        assertThat(opened.get(i).join()).as("pair %d", i).isEqualTo(c);
        assertThat(store.findOpen(c.customer(), BUSINESS)).as("pair %d", i).contains(c);
        assertThat(store.transcript(c.id())).as("pair %d", i).extracting(TranscriptEntry::messageId)
            .containsExactly("m-" + i);
      }
    }
  }
}
