package dev.smsgateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the in-memory layout adds to the shared {@code ConversationStoreCompatibilityKit} (in sms-test): the index by
 * customer digits, lines appended before a conversation opened, and appends that bypass the per-thread shortcut.
 */
class InMemoryConversationStoreTest {

  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  private static final Originator SHORT_CODE = Originator.shortCode("12345", "US");
  private static final RouteTarget SALES = new RouteTarget.Queue("sales");

  private final InMemoryConversationStore store = new InMemoryConversationStore();

  private static Conversation open(String id, String customer, Originator business) {
    return Conversation.open(id, PhoneNumber.of(customer), business, "main", SALES, T0);
  }

  private static TranscriptEntry line(String conversationId, String text) {
    return new TranscriptEntry(conversationId, T0, TranscriptEntry.Direction.INBOUND, "customer", text, null);
  }

  @Test
  @DisplayName("customers are told apart by all their digits, 15-digit numbers and other business numbers included")
  void keys() {
    Conversation a = store.openIfAbsent(open("a", "+14155550100", BUSINESS));
    Conversation b = store.openIfAbsent(open("b", "+141555501000", BUSINESS));
    Conversation c = store.openIfAbsent(open("c", "+999999999999999", BUSINESS));
    Conversation d = store.openIfAbsent(open("d", "+14155550100", SHORT_CODE));
    assertThat(List.of(a.id(), b.id(), c.id(), d.id())).containsExactly("a", "b", "c", "d");
    // Equal numbers from new objects (as every inbound message brings) find the same conversations.
    assertThat(store.findOpen(PhoneNumber.of(new String("+14155550100")), BUSINESS)).contains(a);
    assertThat(store.findOpen(PhoneNumber.of("+999999999999999"), BUSINESS)).contains(c);
    assertThat(store.findOpen(PhoneNumber.of("+14155550100"), Originator.shortCode("12345", "US"))).contains(d);
    assertThat(store.findOpen(PhoneNumber.of("+14155550101"), BUSINESS)).isEmpty();
  }

  @Test
  @DisplayName("lines appended to an id before its conversation opened are kept, in order, with later ones")
  void linesBeforeOpen() {
    store.append(line("early", "one"));
    store.append(line("early", "two"));
    store.openIfAbsent(open("early", "+14155550100", BUSINESS));
    store.append(line(new String("early"), "three"));
    assertThat(store.transcript("early")).extracting(TranscriptEntry::text).containsExactly("one", "two", "three");
  }

  @Test
  @DisplayName("an id with only lines is not a conversation: not found, not updatable, and a taken id is refused")
  void linesOnly() {
    store.append(line("x", "one"));
    assertThat(store.find("x")).isEmpty();
    assertThat(store.update(open("x", "+14155550100", BUSINESS).touched(T0))).isFalse();
    store.openIfAbsent(open("y", "+14155550100", BUSINESS));
    assertThatThrownBy(() -> store.openIfAbsent(open("y", "+14155550101", BUSINESS)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already used");
  }

  @Test
  @DisplayName("appends go to the right transcript whichever conversation this thread looked at last")
  void appendsAfterOtherLookups() throws Exception {
    Conversation a = store.openIfAbsent(open("a", "+14155550100", BUSINESS));
    Conversation b = store.openIfAbsent(open("b", "+14155550101", BUSINESS));
    store.findOpen(a.customer(), BUSINESS);
    store.append(line(b.id(), "to b"));
    store.append(line(a.id(), "to a"));
    CompletableFuture.runAsync(() -> store.append(line(a.id(), "to a from another thread"))).get();
    store.update(b.touched(T0.plusSeconds(1)));
    store.append(line(new String("a"), "to a by an equal string"));
    assertThat(store.transcript("a")).extracting(TranscriptEntry::text)
        .containsExactly("to a", "to a from another thread", "to a by an equal string");
    assertThat(store.transcript("b")).extracting(TranscriptEntry::text).containsExactly("to b");
  }

  @Test
  @DisplayName("an ended conversation leaves the open index only if it is still the open one")
  void endAfterReopen() {
    Conversation first = store.openIfAbsent(open("first", "+14155550100", BUSINESS));
    assertThat(store.update(first.ended(Conversation.EndReason.AGENT, T0))).isTrue();
    Conversation second = store.openIfAbsent(open("second", "+14155550100", BUSINESS));
    assertThat(second.id()).isEqualTo("second");
    // A late change to the ended one (from its ended version) must not unindex the new one.
    Conversation ended = store.find("first").orElseThrow();
    assertThat(store.update(ended.ended(Conversation.EndReason.SYSTEM, T0))).isTrue();
    assertThat(store.findOpen(second.customer(), BUSINESS)).contains(second);
  }

  @Test
  @DisplayName("a long transcript comes back whole and in order")
  void longTranscript() {
    store.openIfAbsent(open("long", "+14155550100", BUSINESS));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      store.append(line("long", "line " + i));
      expected.add("line " + i);
    }
    assertThat(store.transcript("long")).extracting(TranscriptEntry::text).containsExactlyElementsOf(expected);
    assertThat(store).hasToString("InMemoryConversationStore{conversations=1, open=1}");
  }

  @Test
  @DisplayName("transcript lines come back equal to what was appended: any string, null fields, any time")
  void linesRoundTrip() {
    store.openIfAbsent(open("rt", "+14155550100", BUSINESS));
    String unpaired = "a\uD800b";
    String big = "x".repeat(3_000) + "\u20AC".repeat(1_500);
    List<TranscriptEntry> lines = List.of(
        new TranscriptEntry("rt", T0, TranscriptEntry.Direction.INBOUND, "customer", "On my way", "mo-1"),
        new TranscriptEntry("rt", Instant.ofEpochSecond(-62_135_596_800L, 999_999_999),
            TranscriptEntry.Direction.OUTBOUND, null, "", null),
        new TranscriptEntry("rt", Instant.MAX, TranscriptEntry.Direction.SYSTEM, "agent \u00E9\u00FF", "caf\u00E9",
            "id\u0000"),
        new TranscriptEntry("rt", Instant.MIN, TranscriptEntry.Direction.INBOUND, "\u4E2D", "\uD83D\uDE00 " + unpaired,
            "\u0100"),
        new TranscriptEntry("rt", T0.plusNanos(1), TranscriptEntry.Direction.INBOUND, "customer", big, "m".repeat(200)));
    lines.forEach(store::append);
    assertThat(store.transcript("rt")).containsExactlyElementsOf(lines);
  }

  private static TranscriptEntry whisper(String conversationId, String text) {
    return new TranscriptEntry(conversationId, T0.minusSeconds(60), TranscriptEntry.Direction.WHISPER, "agent-7",
        text, "msg-" + text);
  }

  @Test
  @DisplayName("a whisper that opens a transcript comes back as appended, first, before lines appended after it")
  void whisperFirst() {
    store.openIfAbsent(open("w", "+14155550100", BUSINESS));
    TranscriptEntry whisper = whisper("w", "Your table is ready");
    store.append(whisper);
    assertThat(store.transcript("w")).containsExactly(whisper);
    store.append(line("w", "On my way"));
    store.joinOpen(PhoneNumber.of("+14155550100"), BUSINESS, T0, T0, TranscriptEntry.Direction.INBOUND, "customer",
        "here", "mo-2", (id, target) -> id);
    store.append(whisper("w", "a later whisper"));
    assertThat(store.transcript("w")).containsExactly(whisper, line("w", "On my way"),
        new TranscriptEntry("w", T0, TranscriptEntry.Direction.INBOUND, "customer", "here", "mo-2"),
        whisper("w", "a later whisper"));
    assertThat(store.transcript("w").get(0)).isSameAs(whisper);
  }

  @Test
  @DisplayName("a whisper after other lines, or appended before its conversation opened, keeps its place")
  void whisperNotFirstAndBeforeOpen() {
    store.openIfAbsent(open("n", "+14155550100", BUSINESS));
    store.append(line("n", "first"));
    store.append(whisper("n", "second"));
    assertThat(store.transcript("n")).containsExactly(line("n", "first"), whisper("n", "second"));

    store.append(whisper("early", "one"));
    store.append(line("early", "two"));
    store.openIfAbsent(open("early", "+14155550101", BUSINESS));
    store.append(line(new String("early"), "three"));
    assertThat(store.transcript("early")).containsExactly(whisper("early", "one"), line("early", "two"),
        line("early", "three"));
  }

  @Test
  @DisplayName("a wide character in any field, after Latin-1 ones, comes back exact, at chunk ends too")
  void wideAfterLatin1AcrossChunks() {
    store.openIfAbsent(open("w", "+14155550100", BUSINESS));
    java.util.Random random = new java.util.Random(5);
    List<TranscriptEntry> lines = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String author = random.nextInt(7) == 0 ? "agent \u0101" : "customer";
      String text = "t".repeat(random.nextInt(400)) + (random.nextInt(5) == 0 ? "\u20AC" : "");
      String id = "m-" + i + (random.nextInt(3) == 0 ? "\uD83D\uDE00" + "q".repeat(random.nextInt(300)) : "");
      lines.add(new TranscriptEntry("w", T0.plusNanos(i), TranscriptEntry.Direction.INBOUND, author, text, id));
    }
    lines.forEach(store::append);
    assertThat(store.transcript("w")).containsExactlyElementsOf(lines);
  }

  @Test
  @DisplayName("joins racing target changes: each join sees a current target, no touch or update is lost")
  void joinsRacingUpdates() throws Exception {
    PhoneNumber customer = PhoneNumber.of("+14155550100");
    store.openIfAbsent(open("race", customer.e164(), BUSINESS));
    assertThat(store.update(store.find("race").orElseThrow().assignedTo("a100000", T0))).isTrue();
    long initialVersion = store.find("race").orElseThrow().version();
    int rounds = 20_000;
    java.util.concurrent.atomic.AtomicInteger updates = new java.util.concurrent.atomic.AtomicInteger();
    Thread updater = new Thread(() -> {
      for (int n = 1; n <= rounds; n++) {
        Conversation c = store.find("race").orElseThrow();
        if (store.update(c.assignedTo("a" + (100_000 + n), T0))) {
          updates.incrementAndGet();
        }
      }
    });
    updater.start();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      String joined = store.joinOpen(customer, BUSINESS, T0, T0, TranscriptEntry.Direction.INBOUND, "customer",
          "m" + i, null, (id, target) -> target.key());
      if (joined != null) {
        seen.add(joined);
      }
    }
    updater.join();
    for (int i = 1; i < seen.size(); i++) { // targets only move forward: a join never acts on an older one
      assertThat(seen.get(i).compareTo(seen.get(i - 1))).as("join %d after %s", i, seen.get(i - 1))
          .isGreaterThanOrEqualTo(0);
    }
    assertThat(seen).hasSize(rounds);
    assertThat(store.find("race").orElseThrow().version()).isEqualTo(initialVersion + updates.get() + rounds);
    assertThat(store.transcript("race")).hasSize(rounds);
  }

  @Test
  @DisplayName("lines of many conversations interleaved across chunk boundaries stay with their conversation")
  void interleavedAcrossChunks() {
    List<List<String>> expected = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      store.openIfAbsent(open("c" + c, "+1415555" + (1000 + c), BUSINESS));
      expected.add(new ArrayList<>());
    }
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 20_000; i++) {
      int c = random.nextInt(20);
      String text = "line " + i + " " + "y".repeat(random.nextInt(300));
      store.append(line("c" + c, text));
      expected.get(c).add(text);
    }
    for (int c = 0; c < 20; c++) {
      assertThat(store.transcript("c" + c)).extracting(TranscriptEntry::text)
          .containsExactlyElementsOf(expected.get(c));
    }
  }

  @Test
  @DisplayName("a touch moves only version and activity; every read sees them, and later changes keep them")
  void touches() {
    Conversation c = store.openIfAbsent(open("t", "+14155550100", BUSINESS));
    Conversation touched = c.touched(T0.plusSeconds(5)).touched(T0.plusNanos(5_000_000_001L));
    assertThat(store.update(c.touched(T0.plusSeconds(5)))).isTrue();
    assertThat(store.update(touched)).isTrue();
    assertThat(store.find("t")).contains(touched);
    assertThat(store.findOpen(c.customer(), BUSINESS)).contains(touched);
    assertThat(store.findOpenByTarget(SALES)).containsExactly(touched);
    assertThat(store.findIdle(T0.plusSeconds(6), 10)).containsExactly(touched);
    assertThat(store.findIdle(T0.plusSeconds(5), 10)).isEmpty();
    // A stale version loses, whether it is a touch or another change.
    assertThat(store.update(c.touched(T0.plusSeconds(9)))).isFalse();
    assertThat(store.update(c.assignedTo("agent-1", T0.plusSeconds(9)))).isFalse();
    Conversation assigned = touched.assignedTo("agent-1", T0.plusSeconds(7));
    assertThat(store.update(assigned)).isTrue();
    assertThat(store.find("t")).contains(assigned);
    Conversation again = assigned.touched(T0.plusSeconds(8));
    assertThat(store.update(again)).isTrue();
    assertThat(store.findOpen(c.customer(), BUSINESS)).contains(again);
    assertThat(store.findOpenByTarget(new RouteTarget.Agent("agent-1"))).containsExactly(again);
    Conversation ended = again.ended(Conversation.EndReason.CUSTOMER, T0.plusSeconds(9));
    assertThat(store.update(ended)).isTrue();
    assertThat(store.find("t")).contains(ended);
    assertThat(store.findOpen(c.customer(), BUSINESS)).isEmpty();
  }
}
