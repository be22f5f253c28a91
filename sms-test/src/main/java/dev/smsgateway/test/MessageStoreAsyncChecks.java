package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ReportMerge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link MessageStoreCompatibilityKit} that checks the asynchronous twins on the delivery-report path,
 * {@link MessageStore#mergeReportAsync} and {@link MessageStore#takeParkedAsync}: each answers what its synchronous
 * twin answers, its effect is visible once its future completed, and concurrent callers each get their own answer (a
 * parked report goes to one taker only). A class of its own only to keep the kit's file to a readable size; extend the
 * kit, not this.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
abstract class MessageStoreAsyncChecks extends StoreCompatibilityKit<MessageStore> {

  private static final Duration PARK_TTL = Duration.ofHours(1);
  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  MessageStoreAsyncChecks() {}

  private MessageRecord sent(String messageId, int parts) {
    MessageRecord r = MessageRecord.accepted(messageId, "primary", CUSTOMER, BUSINESS, parts, clock.instant());
    store.recordSent(r, "primary", List.of());
    return r;
  }

  private DeliveryReport parked(String providerMessageId, DeliveryStatus status, Instant at) {
    DeliveryReport r = DeliveryReport.builder().provider("primary").providerMessageId(providerMessageId)
        .status(status).occurredAt(at).build();
    store.park(r, clock.instant().plus(PARK_TTL));
    return r;
  }

  /** The reports' values, in order (a report has no equals of its own). */
  private static List<String> values(List<DeliveryReport> reports) {
    return reports.stream().map(r -> r.provider() + "/" + r.providerMessageId() + " " + r.messageId() + " "
        + r.status() + " " + r.rawStatus() + " " + r.errorCode() + " " + r.occurredAt() + " part " + r.part())
        .toList();
  }

  /** The store's answer with the message id left out, to compare two messages' merges. */
  private static String merged(Optional<ReportMerge> m) {
    return m.map(r -> r.changed() + " " + r.record().status() + " " + r.record().partStatuses() + " "
        + r.record().errorCode() + " " + r.record().updatedAt()).orElse("none");
  }

  @Nested
  @DisplayName("mergeReportAsync")
  class AsyncMerges {

    @Test
    @DisplayName("answers what mergeReport answers, report after report (changed, duplicate, late, failed part, whole"
        + " message), and the row holds it once the future completed")
    void sameAsSync() {
      sent("sync", 2);
      sent("async", 2);
      record Step(int part, DeliveryStatus status, String errorCode) {}
      List<Step> steps = List.of(new Step(0, DeliveryStatus.SENT, null), new Step(0, DeliveryStatus.SENT, null),
          new Step(1, DeliveryStatus.FAILED, "0x0B"), new Step(0, DeliveryStatus.DELIVERED, null),
          new Step(0, DeliveryStatus.SENT, null), new Step(-1, DeliveryStatus.DELIVERED, null));
      for (Step s : steps) {
        clock.advanceMillis(5);
        Optional<ReportMerge> expected = store.mergeReport("sync", s.part(), s.status(), s.errorCode(),
            clock.instant());
        Optional<ReportMerge> got = store.mergeReportAsync("async", s.part(), s.status(), s.errorCode(),
            clock.instant()).join();
        assertThat(merged(got)).as(s.toString()).isEqualTo(merged(expected));
        assertThat(store.find("async")).as(s.toString()).contains(got.orElseThrow().record());
      }
      assertThat(store.find("async").orElseThrow().status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    @DisplayName("a change answers changed, the duplicate unchanged with the same record; a saved record (not sent"
        + " through this store) merges the same way")
    void changedThenDuplicate() {
      MessageRecord r = MessageRecord.accepted("m1", "primary", CUSTOMER, BUSINESS, 1, clock.instant());
      store.save(r);
      ReportMerge first = store.mergeReportAsync("m1", 0, DeliveryStatus.SENT, null, clock.instant()).join()
          .orElseThrow();
      assertThat(first.changed()).isTrue();
      assertThat(first.record().status()).isEqualTo(DeliveryStatus.SENT);
      clock.advanceMillis(5);
      ReportMerge again = store.mergeReportAsync("m1", 0, DeliveryStatus.SENT, null, clock.instant()).join()
          .orElseThrow();
      assertThat(again.changed()).isFalse();
      assertThat(again.record()).isEqualTo(first.record());
      assertThat(store.find("m1")).contains(first.record());
    }

    @Test
    @DisplayName("a report for an unknown message completes empty and stores nothing")
    void unknownMessage() {
      assertThat(store.mergeReportAsync("nope", 0, DeliveryStatus.DELIVERED, null, clock.instant()).join()).isEmpty();
      assertThat(store.find("nope")).isEmpty();
    }

    @Test
    @DisplayName("16 concurrent merges of the 16 parts of one message all land, each answering changed with its own"
        + " part delivered")
    void concurrentParts() {
      sent("m1", 16);
      List<CompletableFuture<Optional<ReportMerge>>> merges = Collections.synchronizedList(new ArrayList<>(
          Collections.nCopies(16, null)));
      Concurrently.run(8, t -> {
        for (int part = t; part < 16; part += 8) {
          merges.set(part, store.mergeReportAsync("m1", part, DeliveryStatus.DELIVERED, null, clock.instant()));
        }
        return null;
      });
      for (int part = 0; part < 16; part++) {
        ReportMerge m = merges.get(part).join().orElseThrow();
        assertThat(m.changed()).as("part %d", part).isTrue();
        assertThat(m.record().partStatuses().get(part)).as("part %d", part).isEqualTo(DeliveryStatus.DELIVERED);
      }
      MessageRecord r = store.find("m1").orElseThrow();
      assertThat(r.partStatuses()).containsOnly(DeliveryStatus.DELIVERED);
      assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    @DisplayName("20 concurrent merges of the same report into one message: exactly one answers changed (listeners"
        + " hear of a report once), every one with the report merged")
    void concurrentDuplicates() {
      sent("m1", 1);
      List<CompletableFuture<Optional<ReportMerge>>> merges = Collections.synchronizedList(new ArrayList<>());
      Concurrently.run(4, t -> {
        for (int i = 0; i < 5; i++) {
          merges.add(store.mergeReportAsync("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant()));
        }
        return null;
      });
      List<ReportMerge> answers = merges.stream().map(f -> f.join().orElseThrow()).toList();
      assertThat(answers).as("a duplicate is not announced again").filteredOn(ReportMerge::changed).hasSize(1);
      assertThat(answers).allSatisfy(m -> assertThat(m.record().status()).isEqualTo(DeliveryStatus.DELIVERED));
      assertThat(store.find("m1").orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }
  }

  @Nested
  @DisplayName("takeParkedAsync")
  class AsyncTakes {

    @Test
    @DisplayName("takes the parked reports once, oldest first; a second take (either twin) finds none")
    void takeOnce() {
      DeliveryReport later = parked("p1", DeliveryStatus.DELIVERED, START.plusSeconds(2));
      DeliveryReport earlier = parked("p1", DeliveryStatus.SENT, START.plusSeconds(1));
      assertThat(values(store.takeParkedAsync("primary", "p1").join())).containsExactlyElementsOf(
          values(List.of(earlier, later)));
      assertThat(store.takeParkedAsync("primary", "p1").join()).isEmpty();
      assertThat(store.takeParked("primary", "p1")).isEmpty();
    }

    @Test
    @DisplayName("keeps reports per provider and provider id, and drops an expired one, as takeParked does")
    void perKeyAndExpiry() {
      DeliveryReport p1 = parked("p1", DeliveryStatus.DELIVERED, START);
      assertThat(store.takeParkedAsync("secondary", "p1").join()).isEmpty();
      assertThat(store.takeParkedAsync("primary", "p2").join()).isEmpty();
      assertThat(values(store.takeParkedAsync("primary", "p1").join())).containsExactlyElementsOf(
          values(List.of(p1)));
      parked("p3", DeliveryStatus.DELIVERED, START);
      clock.advance(PARK_TTL);
      assertThat(store.takeParkedAsync("primary", "p3").join()).isEmpty();
    }

    @Test
    @DisplayName("10 keys each taken by 8 concurrent callers: a key's one report goes to exactly one of them; of a"
        + " key's two reports each goes to exactly one")
    void concurrentTakesOneWinner() {
      List<List<DeliveryReport>> parkedPerKey = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        List<DeliveryReport> reports = new ArrayList<>();
        reports.add(parked("p" + k, DeliveryStatus.SENT, START.plusSeconds(1)));
        if (k % 2 == 1) {
          reports.add(parked("p" + k, DeliveryStatus.DELIVERED, START.plusSeconds(2)));
        }
        parkedPerKey.add(reports);
      }
      List<List<CompletableFuture<List<DeliveryReport>>>> takes = Concurrently.run(8, t -> {
        List<CompletableFuture<List<DeliveryReport>>> mine = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
          mine.add(store.takeParkedAsync("primary", "p" + k));
        }
        return mine;
      });
      for (int k = 0; k < 10; k++) {
        int key = k;
        List<List<String>> got = takes.stream().map(mine -> values(mine.get(key).join())).toList();
        if (k % 2 == 0) {
          assertThat(got).as("key p%d", k).filteredOn(r -> !r.isEmpty())
              .containsExactly(values(parkedPerKey.get(k)));
        } else {
          assertThat(got.stream().flatMap(List::stream).toList()).as("key p%d", k)
              .containsExactlyInAnyOrderElementsOf(values(parkedPerKey.get(k)));
        }
      }
    }

    @Test
    @DisplayName("50 concurrent takes of distinct keys each get their own key's report")
    void concurrentDistinctKeys() {
      List<DeliveryReport> reports = new ArrayList<>();
      for (int k = 0; k < 50; k++) {
        reports.add(parked("q" + k, k % 2 == 0 ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED,
            START.plusSeconds(k)));
      }
      List<CompletableFuture<List<DeliveryReport>>> takes = Collections.synchronizedList(new ArrayList<>(
          Collections.nCopies(50, null)));
      Concurrently.run(8, t -> {
        for (int k = t; k < 50; k += 8) {
          takes.set(k, store.takeParkedAsync("primary", "q" + k));
        }
        return null;
      });
      for (int k = 0; k < 50; k++) {
        assertThat(values(takes.get(k).join())).as("key q%d", k).containsExactlyElementsOf(
            values(List.of(reports.get(k))));
      }
    }
  }
}
