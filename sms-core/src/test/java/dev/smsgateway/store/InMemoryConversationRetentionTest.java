package dev.smsgateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Retention of ended conversations in {@link InMemoryConversationStore}, on an injected clock. */
@DisplayName("InMemoryConversationStore retention")
class InMemoryConversationRetentionTest {

  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  private static final RouteTarget SALES = new RouteTarget.Queue("sales");
  private static final Duration RETENTION = Duration.ofDays(7);

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final InMemoryConversationStore store = new InMemoryConversationStore(clock, RETENTION);

  private static PhoneNumber customer(int i) {
    return PhoneNumber.of("+1212" + (1_000_000 + i));
  }

  private Conversation openWithLines(String id, int customer, int lines) {
    Conversation c = store.openIfAbsent(Conversation.open(id, customer(customer), BUSINESS, "main", SALES, clock.now));
    for (int i = 0; i < lines; i++) {
      store.append(new TranscriptEntry(id, clock.now, TranscriptEntry.Direction.INBOUND, "customer",
          "line " + i + " of " + id, "m-" + i));
    }
    return c;
  }

  private Conversation end(Conversation c) {
    Conversation ended = c.ended(Conversation.EndReason.AGENT, clock.now);
    assertThat(store.update(ended)).isTrue();
    return ended;
  }

  @Test
  @DisplayName("an ended conversation and its transcript stay until endedAt + retention, and are gone from then on")
  void endedKeptForRetention() {
    Conversation ended = end(openWithLines("c-1", 1, 3));
    Conversation open = openWithLines("c-2", 2, 2);
    clock.now = T0.plus(RETENTION).minusNanos(1);
    assertThat(store.find("c-1")).contains(ended);
    assertThat(store.transcript("c-1")).hasSize(3);
    assertThat(store.purgeEnded()).isZero();

    clock.now = T0.plus(RETENTION);
    assertThat(store.find("c-1")).isEmpty();
    assertThat(store.transcript("c-1")).isEmpty();
    assertThat(store.purgeEnded()).isEqualTo(1);
    assertThat(store.purgeEnded()).isZero();
    // The open conversation is untouched, however old.
    clock.now = T0.plus(RETENTION.multipliedBy(10));
    assertThat(store.find("c-2")).contains(open);
    assertThat(store.transcript("c-2")).extracting(TranscriptEntry::text).containsExactly("line 0 of c-2",
        "line 1 of c-2");
  }

  @Test
  @DisplayName("the next opening drops what is due, without purgeEnded; the customer can open a new conversation")
  void openingDropsDue() {
    end(openWithLines("c-1", 1, 1));
    clock.now = T0.plus(RETENTION).plusSeconds(1);
    openWithLines("c-3", 1, 1);
    assertThat(store.toString()).contains("conversations=1");
    assertThat(store.purgeEnded()).isZero();
    assertThat(store.findOpen(customer(1), BUSINESS)).map(Conversation::id).contains("c-3");
  }

  @Test
  @DisplayName("a dropped conversation's chat link goes with it (purgeEnded, the next opening, purgeEndedBefore)")
  void chatLinksDropped() {
    Conversation a = openWithLines("c-1", 1, 1);
    Conversation b = openWithLines("c-2", 2, 1);
    Conversation kept = openWithLines("c-3", 3, 1);
    for (Conversation c : List.of(a, b, kept)) {
      assertThat(store.putChatLink(ChatLink.of(c.id(), "contact-" + c.id(), "p", "pt", "ct", null, clock.now)))
          .isTrue();
    }
    end(a);
    end(b);
    clock.now = T0.plus(RETENTION);
    openWithLines("c-4", 2, 1); // the opening drops what is due
    assertThat(store.findChatLink("c-1")).isEmpty();
    assertThat(store.findChatLinkByContact("contact-c-1")).isEmpty();
    assertThat(store.findChatLink("c-2")).isEmpty();
    assertThat(store.findChatLinkByContact("contact-c-2")).isEmpty();
    assertThat(store.findChatLink("c-3")).isPresent();
    assertThat(store.findChatLinkByContact("contact-c-3")).map(ChatLink::conversationId).contains("c-3");

    end(store.find("c-3").orElseThrow());
    assertThat(store.purgeEndedBefore(clock.now.plusNanos(1))).isEqualTo(1);
    assertThat(store.findChatLink("c-3")).isEmpty();
    assertThat(store.findChatLinkByContact("contact-c-3")).isEmpty();
  }

  @Test
  @DisplayName("dropping many transcripts reclaims their bytes: the survivors' lines are copied and read back exactly")
  void compaction() {
    for (int i = 0; i < 2_000; i++) {
      Conversation c = openWithLines("c-" + i, i, 10);
      if (i % 10 != 0) {
        end(c);
      }
    }
    clock.now = T0.plus(RETENTION);
    assertThat(store.purgeEnded()).isEqualTo(1_800);
    assertThat(store.compactions()).isGreaterThanOrEqualTo(8); // each of the 8 chunk sets dropped 90% of its bytes
    // Lines appended after the compaction go on from where each survivor was.
    store.append(new TranscriptEntry("c-0", clock.now, TranscriptEntry.Direction.OUTBOUND, "agent", "after", null));
    for (int i = 0; i < 2_000; i += 10) {
      List<TranscriptEntry> lines = store.transcript("c-" + i);
      assertThat(lines).hasSize(i == 0 ? 11 : 10);
      for (int k = 0; k < 10; k++) {
        assertThat(lines.get(k).text()).isEqualTo("line " + k + " of c-" + i);
        assertThat(lines.get(k).messageId()).isEqualTo("m-" + k);
      }
    }
    assertThat(store.transcript("c-1")).isEmpty();
  }

  @Test
  @DisplayName("an ended conversation waiting for its retention keeps its exact last activity, nanoseconds included")
  void endedKeepsActivityNanos() {
    Instant at = T0.plusNanos(999_999_999);
    Conversation c = store.openIfAbsent(Conversation.open("c-1", customer(1), BUSINESS, "main", SALES, at));
    Conversation ended = c.ended(Conversation.EndReason.AGENT, at.plusNanos(1));
    assertThat(store.update(ended)).isTrue();
    assertThat(store.find("c-1")).contains(ended);
    Conversation again = ended.ended(Conversation.EndReason.SYSTEM, at.plusNanos(2));
    assertThat(store.update(again)).isTrue(); // queued once, and its times stay exact
    assertThat(store.find("c-1")).contains(again);
    assertThat(store.find("c-1").orElseThrow().lastActivityAt()).isEqualTo(again.lastActivityAt());
    clock.now = again.endedAt().plus(RETENTION);
    assertThat(store.purgeEnded()).isEqualTo(1);
    assertThat(store.find("c-1")).isEmpty();
  }

  @Test
  @DisplayName("a compaction keeps the whisper that opens a survivor's transcript, first, and its lines after it")
  void compactionWithWhispers() {
    for (int i = 0; i < 2_000; i++) {
      Conversation c = store.openIfAbsent(Conversation.open("w-" + i, customer(i), BUSINESS, "main", SALES, clock.now));
      store.append(new TranscriptEntry(c.id(), T0.minusSeconds(5), TranscriptEntry.Direction.WHISPER, "agent-1",
          "whisper of w-" + i, "msg-" + i));
      for (int k = 0; k < 10; k++) {
        store.append(new TranscriptEntry(c.id(), clock.now, TranscriptEntry.Direction.INBOUND, "customer",
            "line " + k + " of w-" + i, "m-" + k));
      }
      if (i % 10 != 0) {
        end(c);
      }
    }
    clock.now = T0.plus(RETENTION);
    assertThat(store.purgeEnded()).isEqualTo(1_800);
    assertThat(store.compactions()).isGreaterThanOrEqualTo(8);
    store.append(new TranscriptEntry("w-0", clock.now, TranscriptEntry.Direction.OUTBOUND, "agent", "after", null));
    for (int i = 0; i < 2_000; i += 10) {
      List<TranscriptEntry> lines = store.transcript("w-" + i);
      assertThat(lines).hasSize(i == 0 ? 12 : 11);
      assertThat(lines.get(0)).isEqualTo(new TranscriptEntry("w-" + i, T0.minusSeconds(5),
          TranscriptEntry.Direction.WHISPER, "agent-1", "whisper of w-" + i, "msg-" + i));
      for (int k = 0; k < 10; k++) {
        assertThat(lines.get(k + 1).text()).isEqualTo("line " + k + " of w-" + i);
      }
    }
    assertThat(store.transcript("w-0").get(11).text()).isEqualTo("after");
    assertThat(store.transcript("w-1")).isEmpty();
  }

  @Test
  @DisplayName("a line appended to a dropped conversation is kept under its id, not lost")
  void appendAfterDrop() {
    Conversation c = end(openWithLines("c-1", 1, 1));
    store.find(c.id()); // this thread's last-seen entry is c-1
    clock.now = T0.plus(RETENTION);
    assertThat(store.purgeEnded()).isEqualTo(1);
    store.append(new TranscriptEntry(c.id(), clock.now, TranscriptEntry.Direction.OUTBOUND, "agent", "late", null));
    assertThat(store.transcript(c.id())).extracting(TranscriptEntry::text).containsExactly("late");
  }

  @Test
  @DisplayName("without a retention nothing is dropped; a negative retention is refused")
  void noRetention() {
    InMemoryConversationStore forever = new InMemoryConversationStore(clock);
    Conversation c = forever.openIfAbsent(Conversation.open("c-1", customer(1), BUSINESS, "main", SALES, T0));
    Conversation ended = c.ended(Conversation.EndReason.AGENT, T0);
    assertThat(forever.update(ended)).isTrue();
    clock.now = T0.plus(Duration.ofDays(3650));
    assertThat(forever.purgeEnded()).isZero();
    assertThat(forever.find("c-1")).contains(ended);
    assertThatThrownBy(() -> new InMemoryConversationStore(clock, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
  }
}
