package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

// Just past 600 lines: one nested group of cases per part of the SPI, each short; the asynchronous opening's cases
// live in ConversationStoreAsyncChecks already, and splitting further would scatter one contract over many files.
/**
 * The behaviour every {@link ConversationStore} must show: at most one open conversation per customer and business
 * number (also under races), optimistic updates by version, the lookups the router and idle sweeper use, and
 * ordered transcripts. Extend it and return a fresh, empty store from {@link #createStore(Clock)}. The asynchronous
 * opening ({@code openIfAbsentAsync}) is checked by the nested tests this kit inherits.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class ConversationStoreCompatibilityKit extends ConversationStoreAsyncChecks {

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  protected static final PhoneNumber OTHER_CUSTOMER = PhoneNumber.of("+447700900123");
  protected static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  protected static final Originator OTHER_BUSINESS = Originator.shortCode("12345", "US");
  protected static final RouteTarget SALES = new RouteTarget.Queue("sales");
  protected static final RouteTarget ALICE = new RouteTarget.Agent("alice");

  protected Conversation candidate(PhoneNumber customer, Originator business, RouteTarget target) {
    return Conversation.open(UUID.randomUUID().toString(), customer, business, "main", target, clock.instant());
  }

  @Nested
  @DisplayName("opening")
  class Opening {

    @Test
    @DisplayName("the first candidate for a pair is stored and returned")
    void firstStored() {
      Conversation c = candidate(CUSTOMER, BUSINESS, SALES);
      assertThat(store.openIfAbsent(c)).isEqualTo(c);
      assertThat(store.find(c.id())).contains(c);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(c);
    }

    @Test
    @DisplayName("a second candidate for an open pair gets the open conversation, and is not stored")
    void secondGetsOpen() {
      Conversation first = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation second = candidate(CUSTOMER, BUSINESS, ALICE);
      assertThat(store.openIfAbsent(second)).isEqualTo(first);
      assertThat(store.find(second.id())).isEmpty();
    }

    @Test
    @DisplayName("other customers and business numbers open their own conversations")
    void perPair() {
      Conversation a = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation b = store.openIfAbsent(candidate(CUSTOMER, OTHER_BUSINESS, SALES));
      Conversation c = store.openIfAbsent(candidate(OTHER_CUSTOMER, BUSINESS, SALES));
      assertThat(List.of(a.id(), b.id(), c.id())).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("after a conversation ended, a new one opens for the pair and the old one is still found")
    void reopenAfterEnd() {
      Conversation first = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation ended = first.ended(Conversation.EndReason.AGENT, clock.instant());
      assertThat(store.update(ended)).isTrue();
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).isEmpty();
      Conversation next = candidate(CUSTOMER, BUSINESS, SALES);
      assertThat(store.openIfAbsent(next)).isEqualTo(next);
      assertThat(store.find(first.id())).contains(ended);
    }

    @Test
    @DisplayName("8 threads opening one pair all get the same conversation")
    void openRace() {
      List<Conversation> results = Concurrently.run(8, i -> store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES)));
      assertThat(results).extracting(Conversation::id).containsOnly(results.get(0).id());
      assertThat(store.findOpenByTarget(SALES)).hasSize(1);
    }

    private TranscriptEntry firstLine(Conversation c, String messageId) {
      return new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice", "Hi, Alice here",
          messageId);
    }

    @Test
    @DisplayName("with a first line: the candidate is stored with its line, which appendIfAbsent then finds")
    void withFirstLine() {
      Conversation c = candidate(CUSTOMER, BUSINESS, ALICE);
      TranscriptEntry line = firstLine(c, "m-first");
      assertThat(store.openIfAbsent(c, line)).isEqualTo(c);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(c);
      assertThat(store.transcript(c.id())).containsExactly(line);
      assertThat(store.appendIfAbsent(line)).as("the line is there for appendIfAbsent").isFalse();
    }

    @Test
    @DisplayName("with a first line, a line without a message id and with a null author is stored as given")
    void withFirstLineNulls() {
      Conversation c = candidate(CUSTOMER, BUSINESS, ALICE);
      TranscriptEntry line = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM, null,
          "opened", null);
      assertThat(store.openIfAbsent(c, line)).isEqualTo(c);
      assertThat(store.transcript(c.id())).containsExactly(line);
    }

    @Test
    @DisplayName("with a first line, for an open pair: the open conversation is returned, and nothing is written")
    void withFirstLineOpenPair() {
      Conversation first = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation second = candidate(CUSTOMER, BUSINESS, ALICE);
      assertThat(store.openIfAbsent(second, firstLine(second, "m-second"))).isEqualTo(first);
      assertThat(store.find(second.id())).isEmpty();
      assertThat(store.transcript(first.id())).isEmpty();
      assertThat(store.transcript(second.id())).isEmpty();
    }

    @Test
    @DisplayName("with a first line, after the pair's conversation ended: a new one opens with the line")
    void withFirstLineAfterEnd() {
      Conversation first = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      assertThat(store.update(first.ended(Conversation.EndReason.AGENT, clock.instant()))).isTrue();
      Conversation next = candidate(CUSTOMER, BUSINESS, ALICE);
      TranscriptEntry line = firstLine(next, "m-next");
      assertThat(store.openIfAbsent(next, line)).isEqualTo(next);
      assertThat(store.transcript(next.id())).containsExactly(line);
      assertThat(store.transcript(first.id())).isEmpty();
    }

    @Test
    @DisplayName("with a first line of another conversation: refused, nothing stored")
    void withForeignLine() {
      Conversation c = candidate(CUSTOMER, BUSINESS, ALICE);
      Conversation other = candidate(CUSTOMER, BUSINESS, ALICE);
      assertThatThrownBy(() -> store.openIfAbsent(c, firstLine(other, "m-x")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(other.id());
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("8 threads opening one pair with first lines: one conversation, holding exactly its own line")
    void withFirstLineRace() {
      List<Conversation> results = Concurrently.run(8, i -> {
        Conversation c = candidate(CUSTOMER, BUSINESS, ALICE);
        return store.openIfAbsent(c, firstLine(c, "m-" + i));
      });
      Conversation winner = results.get(0);
      assertThat(results).extracting(Conversation::id).containsOnly(winner.id());
      assertThat(store.transcript(winner.id())).hasSize(1).allSatisfy(e -> {
        assertThat(e.conversationId()).isEqualTo(winner.id());
        assertThat(e.messageId()).startsWith("m-");
      });
    }
  }

  @Nested
  @DisplayName("optimistic updates")
  class Updates {

    @Test
    @DisplayName("an update from the current version applies")
    void applies() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation assigned = c.assignedTo("alice", clock.instant().plusSeconds(1));
      assertThat(store.update(assigned)).isTrue();
      assertThat(store.find(c.id())).contains(assigned);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(assigned);
    }

    @Test
    @DisplayName("a stale update is refused and changes nothing")
    void stale() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation touched = c.touched(clock.instant().plusSeconds(1));
      store.update(touched);
      assertThat(store.update(c.assignedTo("bob", clock.instant()))).isFalse();
      assertThat(store.find(c.id())).contains(touched);
    }

    @Test
    @DisplayName("an update of an unknown conversation is refused")
    void unknown() {
      Conversation never = candidate(CUSTOMER, BUSINESS, SALES);
      assertThat(store.update(never.touched(clock.instant()))).isFalse();
      assertThat(store.find(never.id())).isEmpty();
    }

    @Test
    @DisplayName("8 threads updating the same version: exactly one wins")
    void updateRace() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      List<Boolean> results = Concurrently.run(8, i -> store.update(c.assignedTo("agent" + i, clock.instant())));
      assertThat(results).containsOnlyOnce(true);
      int winner = results.indexOf(true);
      assertThat(store.find(c.id()).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("agent" + winner));
      assertThat(store.find(c.id()).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    @DisplayName("re-opening an ended conversation: refused while another is open for the pair (at most one open);"
        + " with none open it is the pair's open conversation again")
    void reopen() {
      Conversation first = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation ended = first.ended(Conversation.EndReason.AGENT, clock.instant());
      assertThat(store.update(ended)).isTrue();
      Conversation second = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation reopened = new Conversation(ended.id(), CUSTOMER, BUSINESS, ended.mappingCode(),
          Conversation.State.QUEUED, SALES, ended.openedAt(), clock.instant(), null, null, ended.version() + 1);

      assertThat(store.update(reopened)).as("another is open").isFalse();
      assertThat(store.find(first.id())).contains(ended);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(second);

      assertThat(store.update(second.ended(Conversation.EndReason.AGENT, clock.instant()))).isTrue();
      assertThat(store.update(reopened)).as("none is open").isTrue();
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(reopened);
      assertThat(store.findOpenByTarget(SALES)).extracting(Conversation::id).containsExactly(first.id());
      assertThat(store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES))).isEqualTo(reopened);
    }
  }

  @Nested
  @DisplayName("updateAndAppend (an update and a transcript line in one write)")
  class UpdateAndAppend {

    private TranscriptEntry reply(Conversation c, String text) {
      return new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.INBOUND, "customer", text,
          "SM-" + text);
    }

    @Test
    @DisplayName("from the current version: true, the conversation is the updated one, the line is last in its"
        + " transcript")
    void applies() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, ALICE));
      TranscriptEntry earlier = reply(c, "first");
      store.append(earlier);
      Conversation touched = c.touched(clock.instant().plusSeconds(30));
      TranscriptEntry line = reply(c, "second");
      assertThat(store.updateAndAppend(touched, line)).isTrue();
      assertThat(store.find(c.id())).contains(touched);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(touched);
      assertThat(store.transcript(c.id())).containsExactly(earlier, line);
      assertThat(store.update(c.touched(clock.instant().plusSeconds(31)))).as("the version moved").isFalse();
    }

    @Test
    @DisplayName("a line without a message id and author, with an update that ends the conversation")
    void ending() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation ended = c.ended(Conversation.EndReason.AGENT, clock.instant().plusSeconds(5));
      TranscriptEntry line = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM, null,
          "ended by the agent", null);
      assertThat(store.updateAndAppend(ended, line)).isTrue();
      assertThat(store.find(c.id())).contains(ended);
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).isEmpty();
      assertThat(store.transcript(c.id())).containsExactly(line);
    }

    @Test
    @DisplayName("from a stale version: false, the conversation is unchanged and no line is appended")
    void stale() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation touched = c.touched(clock.instant().plusSeconds(1));
      assertThat(store.update(touched)).isTrue();
      assertThat(store.updateAndAppend(c.assignedTo("bob", clock.instant()), reply(c, "late"))).isFalse();
      assertThat(store.find(c.id())).contains(touched);
      assertThat(store.transcript(c.id())).isEmpty();
    }

    @Test
    @DisplayName("of an unknown conversation: false, and no line")
    void unknown() {
      Conversation never = candidate(CUSTOMER, BUSINESS, SALES);
      assertThat(store.updateAndAppend(never.touched(clock.instant()), reply(never, "hello"))).isFalse();
      assertThat(store.find(never.id())).isEmpty();
      assertThat(store.transcript(never.id())).isEmpty();
    }

    @Test
    @DisplayName("with a line of another conversation: refused, nothing changed")
    void foreignLine() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation other = store.openIfAbsent(candidate(OTHER_CUSTOMER, BUSINESS, SALES));
      assertThatThrownBy(() -> store.updateAndAppend(c.touched(clock.instant()), reply(other, "x")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(other.id()).hasMessageContaining(c.id());
      assertThat(store.find(c.id())).contains(c);
      assertThat(store.transcript(c.id())).isEmpty();
      assertThat(store.transcript(other.id())).isEmpty();
    }

    @Test
    @DisplayName("nulls are refused with the argument's name")
    void nulls() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      assertThatThrownBy(() -> store.updateAndAppend(null, reply(c, "x")))
          .isInstanceOf(NullPointerException.class).hasMessage("updated == null");
      assertThatThrownBy(() -> store.updateAndAppend(c.touched(clock.instant()), null))
          .isInstanceOf(NullPointerException.class).hasMessage("line == null");
      assertThat(store.find(c.id())).contains(c);
    }

    @Test
    @DisplayName("8 threads updating the same version, each with its line: one wins, and only its line is kept")
    void race() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      List<Boolean> results = Concurrently.run(8, i -> store.updateAndAppend(
          c.assignedTo("agent" + i, clock.instant()), reply(c, "line" + i)));
      assertThat(results).containsOnlyOnce(true);
      int winner = results.indexOf(true);
      assertThat(store.find(c.id()).orElseThrow().target()).isEqualTo(new RouteTarget.Agent("agent" + winner));
      assertThat(store.transcript(c.id())).extracting(TranscriptEntry::text).containsExactly("line" + winner);
    }
  }

  @Nested
  @DisplayName("lookups")
  class Lookups {

    @Test
    @DisplayName("findOpenByTarget lists open conversations of that target, oldest first")
    void byTarget() {
      Conversation older = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      clock.advance(Duration.ofMinutes(1));
      Conversation newer = store.openIfAbsent(candidate(OTHER_CUSTOMER, BUSINESS, SALES));
      store.openIfAbsent(candidate(CUSTOMER, OTHER_BUSINESS, ALICE));
      Conversation ended = store.openIfAbsent(candidate(OTHER_CUSTOMER, OTHER_BUSINESS, SALES));
      store.update(ended.ended(Conversation.EndReason.IDLE_TIMEOUT, clock.instant()));
      assertThat(store.findOpenByTarget(SALES)).extracting(Conversation::id)
          .containsExactly(older.id(), newer.id());
      assertThat(store.findOpenByTarget(new RouteTarget.Queue("support"))).isEmpty();
    }

    @Test
    @DisplayName("findIdle returns open conversations idle before the cutoff (exclusive), oldest first, up to the limit")
    void idle() {
      Conversation a = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      clock.advance(Duration.ofMinutes(1));
      Conversation b = store.openIfAbsent(candidate(OTHER_CUSTOMER, BUSINESS, SALES));
      clock.advance(Duration.ofMinutes(1));
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, OTHER_BUSINESS, SALES));
      assertThat(store.findIdle(c.lastActivityAt(), 10)).extracting(Conversation::id)
          .containsExactly(a.id(), b.id());
      assertThat(store.findIdle(c.lastActivityAt(), 1)).extracting(Conversation::id).containsExactly(a.id());
      store.update(a.touched(clock.instant().plusSeconds(1)));
      assertThat(store.findIdle(c.lastActivityAt(), 10)).extracting(Conversation::id).containsExactly(b.id());
    }

    @Test
    @DisplayName("findConversationOfMessage finds the conversation of an outbound line's message, open or ended")
    void conversationOfMessage() throws InterruptedException {
      Conversation open = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, ALICE));
      Conversation ended = store.openIfAbsent(candidate(OTHER_CUSTOMER, BUSINESS, ALICE));
      store.append(new TranscriptEntry(open.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice",
          "Your table is ready", "msg-open"));
      store.append(new TranscriptEntry(ended.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice",
          "Your car is ready", "msg-ended"));
      store.append(new TranscriptEntry(ended.id(), clock.instant(), TranscriptEntry.Direction.INBOUND, null,
          "Thanks", "mo-1"));
      assertThat(store.update(ended.ended(Conversation.EndReason.AGENT, clock.instant()))).isTrue();
      // an index that may lag a moment behind the write (DynamoDB's) is allowed to
      Eventually.assertThat(Duration.ofSeconds(10), () -> {
        assertThat(store.findConversationOfMessage("msg-open")).contains(open.id());
        assertThat(store.findConversationOfMessage("msg-ended")).contains(ended.id());
      });
      assertThat(store.findConversationOfMessage("mo-1")).as("an inbound line's message").isEmpty();
      assertThat(store.findConversationOfMessage("msg-unknown")).isEmpty();
    }

    @Test
    @DisplayName("an unknown id finds nothing")
    void unknownId() {
      assertThat(store.find("nope")).isEmpty();
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).isEmpty();
    }
  }

  @Nested
  @DisplayName("transcripts")
  class Transcripts {

    @Test
    @DisplayName("lines come back in the order they were appended, per conversation")
    void ordered() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      TranscriptEntry one = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice",
          "Hi", "m1");
      TranscriptEntry two = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.INBOUND,
          "customer", "Hello", "SM1");
      TranscriptEntry other = new TranscriptEntry("other", clock.instant(), TranscriptEntry.Direction.SYSTEM,
          "system", "ended", null);
      TranscriptEntry whisper = new TranscriptEntry(c.id(), clock.instant().minusSeconds(60),
          TranscriptEntry.Direction.WHISPER, "alice", "Your table is ready", "m0");
      store.append(one);
      store.append(two);
      store.append(other);
      store.append(whisper);
      assertThat(store.transcript(c.id())).containsExactly(one, two, whisper);
      assertThat(store.transcript("none")).isEmpty();
    }

    @Test
    @DisplayName("8 threads appending lose no line")
    void concurrentAppends() {
      Concurrently.run(8, i -> {
        store.append(new TranscriptEntry("c1", clock.instant(), TranscriptEntry.Direction.INBOUND, "customer",
            "line " + i, null));
        return i;
      });
      assertThat(store.transcript("c1")).hasSize(8);
    }

    @Test
    @DisplayName("appendIfAbsent appends a line once per message id and direction; lines without a message id always")
    void appendIfAbsent() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      TranscriptEntry sent = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice",
          "Hi", "m1");
      TranscriptEntry again = new TranscriptEntry(c.id(), clock.instant().plusSeconds(1),
          TranscriptEntry.Direction.OUTBOUND, "alice", "Hi (retried)", "m1");
      TranscriptEntry whisper = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.WHISPER,
          "alice", "Hi", "m1");
      TranscriptEntry elsewhere = new TranscriptEntry("other", clock.instant(), TranscriptEntry.Direction.OUTBOUND,
          "alice", "Hi", "m1");
      TranscriptEntry system = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM,
          "system", "noted", null);
      assertThat(store.appendIfAbsent(sent)).isTrue();
      assertThat(store.appendIfAbsent(again)).isFalse();
      assertThat(store.appendIfAbsent(whisper)).isTrue();
      assertThat(store.appendIfAbsent(elsewhere)).isTrue();
      assertThat(store.appendIfAbsent(system)).isTrue();
      assertThat(store.appendIfAbsent(system)).isTrue();
      assertThat(store.transcript(c.id())).containsExactly(sent, whisper, system, system);
      assertThat(store.transcript("other")).containsExactly(elsewhere);
    }

    @Test
    @DisplayName("appendIfAbsentAsync: once its future completed the line is there; a repeat completes false")
    void appendIfAbsentAsync() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      TranscriptEntry sent = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice",
          "Hi", "m1");
      assertThat(store.appendIfAbsentAsync(sent).join()).isTrue();
      assertThat(store.transcript(c.id())).containsExactly(sent);
      assertThat(store.appendIfAbsentAsync(sent).join()).isFalse();
      assertThat(store.transcript(c.id())).containsExactly(sent);
    }
  }

  @Nested
  @DisplayName("joinOpen (a router's touch and append in one call)")
  class JoinOpen {

    private final List<String> asked = new java.util.ArrayList<>();

    private String joinAs(String id, RouteTarget target) {
      asked.add(id + "|" + target);
      return "joined " + id;
    }

    @Test
    @DisplayName("joins the open conversation: join's result, the next version, the later activity, the line appended")
    void joins() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, ALICE));
      java.time.Instant later = clock.instant().plusSeconds(30);
      java.time.Instant received = clock.instant().plusSeconds(20);
      String result = store.joinOpen(CUSTOMER, BUSINESS, later, received, TranscriptEntry.Direction.INBOUND,
          "customer", "On my way", "SM9", this::joinAs);
      assertThat(result).isEqualTo("joined " + c.id());
      assertThat(asked).containsExactly(c.id() + "|" + ALICE);
      Conversation now = store.find(c.id()).orElseThrow();
      assertThat(now).isEqualTo(c.touched(later));
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).contains(now);
      assertThat(store.transcript(c.id())).containsExactly(new TranscriptEntry(c.id(), received,
          TranscriptEntry.Direction.INBOUND, "customer", "On my way", "SM9"));
      // the version moved: an update from the old version loses
      assertThat(store.update(c.touched(later.plusSeconds(1)))).isFalse();
    }

    @Test
    @DisplayName("an earlier activity time keeps the later one, and still makes a new version")
    void keepsLaterActivity() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation touched = c.touched(clock.instant().plusSeconds(60));
      assertThat(store.update(touched)).isTrue();
      assertThat(store.joinOpen(CUSTOMER, BUSINESS, clock.instant(), clock.instant(),
          TranscriptEntry.Direction.INBOUND, "customer", "late", null, this::joinAs)).isNotNull();
      Conversation now = store.find(c.id()).orElseThrow();
      assertThat(now.lastActivityAt()).isEqualTo(touched.lastActivityAt());
      assertThat(now.version()).isEqualTo(touched.version() + 1);
      assertThat(store.transcript(c.id())).extracting(TranscriptEntry::text).containsExactly("late");
    }

    @Test
    @DisplayName("no open conversation for the pair: null, join is not asked, nothing is written")
    void noneOpen() {
      Conversation other = store.openIfAbsent(candidate(CUSTOMER, OTHER_BUSINESS, SALES));
      assertThat(store.<String>joinOpen(CUSTOMER, BUSINESS, clock.instant(), clock.instant(),
          TranscriptEntry.Direction.INBOUND, "customer", "hello", null, this::joinAs)).isNull();
      assertThat(asked).isEmpty();
      assertThat(store.find(other.id())).contains(other);
      assertThat(store.transcript(other.id())).isEmpty();
      assertThat(store.findOpen(CUSTOMER, BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("an ended conversation is not joined")
    void endedNotJoined() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Conversation ended = c.ended(Conversation.EndReason.AGENT, clock.instant());
      assertThat(store.update(ended)).isTrue();
      assertThat(store.<String>joinOpen(CUSTOMER, BUSINESS, clock.instant(), clock.instant(),
          TranscriptEntry.Direction.INBOUND, "customer", "hello", null, this::joinAs)).isNull();
      assertThat(asked).isEmpty();
      assertThat(store.find(c.id())).contains(ended);
      assertThat(store.transcript(c.id())).isEmpty();
    }

    @Test
    @DisplayName("join answering null: null, and the conversation and its transcript are unchanged")
    void refused() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, ALICE));
      assertThat(store.<String>joinOpen(CUSTOMER, BUSINESS, clock.instant().plusSeconds(5), clock.instant(),
          TranscriptEntry.Direction.INBOUND, "customer", "hello", null, (id, target) -> null)).isNull();
      assertThat(store.find(c.id())).contains(c);
      assertThat(store.transcript(c.id())).isEmpty();
      assertThat(store.update(c.touched(clock.instant().plusSeconds(1)))).isTrue();
    }

    @Test
    @DisplayName("8 threads joining one conversation: every line kept, one version per join")
    void concurrentJoins() {
      Conversation c = store.openIfAbsent(candidate(CUSTOMER, BUSINESS, SALES));
      Concurrently.run(8, i -> store.joinOpen(CUSTOMER, BUSINESS, clock.instant().plusSeconds(i),
          clock.instant(), TranscriptEntry.Direction.INBOUND, "customer", "line " + i, null, (id, t) -> id));
      assertThat(store.transcript(c.id())).hasSize(8);
      assertThat(store.find(c.id()).orElseThrow().version()).isEqualTo(c.version() + 8);
    }
  }

  @Nested
  @DisplayName("chat links")
  class ChatLinks {

    private ChatLink link(String conversationId, String contactId) {
      return ChatLink.of(conversationId, contactId, "participant-1", "ptoken-" + contactId, "ctoken-1",
          clock.instant().plus(Duration.ofHours(1)), clock.instant());
    }

    @Test
    @DisplayName("a new link is stored and found by conversation and by contact, tokens intact")
    void stored() {
      ChatLink l = link("c1", "contact-1");
      assertThat(store.putChatLink(l)).isTrue();
      assertThat(store.findChatLink("c1")).contains(l);
      assertThat(store.findChatLinkByContact("contact-1")).contains(l);
      assertThat(store.findChatLink("c2")).isEmpty();
      assertThat(store.findChatLinkByContact("contact-2")).isEmpty();
    }

    @Test
    @DisplayName("a link without a participant connection round-trips with its nulls")
    void contactOnly() {
      ChatLink l = ChatLink.of("c1", "contact-1", null, null, null, null, clock.instant());
      assertThat(store.putChatLink(l)).isTrue();
      assertThat(store.findChatLink("c1")).contains(l);
    }

    @Test
    @DisplayName("a second version-1 link for the same conversation is refused and changes nothing")
    void secondRefused() {
      ChatLink first = link("c1", "contact-1");
      store.putChatLink(first);
      assertThat(store.putChatLink(link("c1", "contact-2"))).isFalse();
      assertThat(store.findChatLink("c1")).contains(first);
      assertThat(store.findChatLinkByContact("contact-2")).isEmpty();
    }

    @Test
    @DisplayName("a contact already linked to another conversation is refused")
    void contactUnique() {
      store.putChatLink(link("c1", "contact-1"));
      assertThatThrownBy(() -> store.putChatLink(link("c2", "contact-1")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.findChatLink("c2")).isEmpty();
    }

    @Test
    @DisplayName("updates are optimistic: the next version wins once, a stale one is refused")
    void optimistic() {
      ChatLink l = link("c1", "contact-1");
      store.putChatLink(l);
      ChatLink renewed = l.withConnection("ctoken-2", clock.instant().plus(Duration.ofHours(2)), clock.instant());
      ChatLink moved = l.withCursor("item-9", clock.instant());
      assertThat(store.putChatLink(renewed)).isTrue();
      assertThat(store.putChatLink(moved)).isFalse();
      ChatLink closed = renewed.withCursor("item-9", clock.instant()).closed(clock.instant());
      assertThat(store.putChatLink(renewed.withCursor("item-9", clock.instant()))).isTrue();
      assertThat(store.putChatLink(closed)).isTrue();
      assertThat(store.findChatLink("c1")).contains(closed);
      assertThat(store.findChatLinkByContact("contact-1").orElseThrow().open()).isFalse();
      assertThat(store.findChatLink("c1").orElseThrow().cursor()).isEqualTo("item-9");
      assertThat(store.findChatLink("c1").orElseThrow().connectionToken()).isEqualTo("ctoken-2");
    }

    @Test
    @DisplayName("8 threads moving the same version: exactly one wins")
    void race() {
      ChatLink l = link("c1", "contact-1");
      store.putChatLink(l);
      List<Boolean> wins = Concurrently.run(8, i -> store.putChatLink(l.withCursor("item-" + i, clock.instant())));
      assertThat(wins).containsOnlyOnce(true);
      assertThat(store.findChatLink("c1").orElseThrow().version()).isEqualTo(2);
    }
  }
}
