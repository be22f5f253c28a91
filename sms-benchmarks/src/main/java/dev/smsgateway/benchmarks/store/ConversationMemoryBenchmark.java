package dev.smsgateway.benchmarks.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/**
 * Heap of the in-memory conversation store at 100,000 conversations (the project's memory goals): bytes per open
 * conversation (a UUID id, its customer indexed, assigned to one of 200 agents), bytes per transcript line (ten per
 * conversation, alternating a customer's and an agent's short message, each with a message id of its own), and what
 * is left after every conversation ended and its retention passed (the store drops them and reclaims their
 * transcripts). Heap is measured after full GCs.
 *
 * <p>Run: {@code java -Xmx512m -XX:+UseSerialGC -cp <sms-benchmarks classpath>
 * dev.smsgateway.benchmarks.store.ConversationMemoryBenchmark}; {@code -Dmemory.conversations=N} changes the count.
 * Not thread-safe; a program.
 */
public final class ConversationMemoryBenchmark {

  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration RETENTION = Duration.ofDays(7);

  private ConversationMemoryBenchmark() {}

  public static void main(String[] args) {
    int conversations = Integer.getInteger("memory.conversations", 100_000);
    int linesEach = 10;
    Instant[] now = {T0};
    Clock clock = new Clock() {
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
        return now[0];
      }
    };
    Originator business = Originator.longCode(PhoneNumber.of("+14155550199"));
    RouteTarget[] agents = new RouteTarget[200];
    for (int i = 0; i < agents.length; i++) {
      agents[i] = new RouteTarget.Agent("agent-" + i);
    }
    String[] texts = {"Hi, is my order on its way?", "Yes, it ships today.", "Great, thanks!", "Anything else?"};
    long empty = usedAfterGc();
    InMemoryConversationStore store = new InMemoryConversationStore(clock, RETENTION);
    // Only the ids are kept here, and they are the store's own strings: what is measured is the store's.
    String[] ids = new String[conversations];
    for (int i = 0; i < conversations; i++) {
      ids[i] = store.openIfAbsent(Conversation.open(UUID.randomUUID().toString(),
          PhoneNumber.of("+1555" + (1_000_000 + i)), business, "support", agents[i % agents.length], T0)).id();
    }
    long opened = usedAfterGc();
    for (int k = 0; k < linesEach; k++) {
      for (int i = 0; i < conversations; i++) {
        boolean inbound = k % 2 == 0;
        store.append(new TranscriptEntry(ids[i], T0.plusSeconds(k), inbound ? TranscriptEntry.Direction.INBOUND
            : TranscriptEntry.Direction.OUTBOUND, inbound ? "customer" : "agent-" + (i % agents.length),
            texts[k % texts.length], "msg-" + Integer.toHexString(i * linesEach + k)));
      }
    }
    long withLines = usedAfterGc();
    for (int i = 0; i < conversations; i++) {
      Conversation c = store.find(ids[i]).orElseThrow();
      if (!store.update(c.ended(Conversation.EndReason.AGENT, T0.plusSeconds(60)))) {
        throw new AssertionError("update lost");
      }
    }
    ids = null; // from here on, nothing outside the store holds a conversation's strings
    long endedHeld = usedAfterGc();
    now[0] = T0.plusSeconds(60).plus(RETENTION);
    int dropped = store.purgeEnded();
    long afterRetention = usedAfterGc();
    if (dropped != conversations) {
      throw new AssertionError("dropped " + dropped + " of " + conversations);
    }
    System.out.printf(Locale.ROOT, "InMemoryConversationStore, %,d conversations, %d lines each, %s%n",
        conversations, linesEach, ManagementFactory.getRuntimeMXBean().getInputArguments());
    System.out.printf(Locale.ROOT, "open conversation: %6.1f bytes each (%.1f MB)%n",
        (opened - empty) / (double) conversations, (opened - empty) / 1048576.0);
    System.out.printf(Locale.ROOT, "transcript line:   %6.1f bytes each (%.1f MB)%n",
        (withLines - opened) / (double) (conversations * linesEach), (withLines - opened) / 1048576.0);
    System.out.printf(Locale.ROOT, "all ended, within retention: %.1f MB; after retention (%d dropped): %.1f MB"
        + " (%.1f bytes per former conversation)%n", (endedHeld - empty) / 1048576.0, dropped,
        (afterRetention - empty) / 1048576.0, (afterRetention - empty) / (double) conversations);
    if (store.hashCode() == 42) {
      System.out.println();
    }
  }

  private static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
