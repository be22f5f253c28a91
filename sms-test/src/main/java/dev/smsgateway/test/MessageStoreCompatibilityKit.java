package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ProviderLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageStore} must show: atomic idempotency claims and seen marks with expiry, provider
 * id links, per-part monotonic report merging, parked reports, and atomic counters with expiry. Extend it and return
 * a fresh, empty store from {@link #createStore(Clock)} that reads the time from the given clock. The asynchronous
 * twins on the delivery-report path ({@code mergeReportAsync}, {@code takeParkedAsync}) are checked by the nested
 * tests this kit inherits.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class MessageStoreCompatibilityKit extends MessageStoreAsyncChecks {

  protected static final Duration TTL = Duration.ofHours(1);
  protected static final PhoneNumber TO = PhoneNumber.of("+14155550100");
  protected static final Originator FROM = Originator.longCode(PhoneNumber.of("+14155550199"));

  protected MessageRecord saved(String messageId, int parts) {
    MessageRecord r = MessageRecord.accepted(messageId, "primary", TO, FROM, parts, clock.instant());
    store.save(r);
    return r;
  }

  protected DeliveryReport report(String provider, String providerMessageId, DeliveryStatus status, Instant at) {
    return DeliveryReport.builder().provider(provider).providerMessageId(providerMessageId).status(status)
        .occurredAt(at).build();
  }

  private Instant expiry() {
    return clock.instant().plus(TTL);
  }

  @Nested
  @DisplayName("idempotency keys")
  class IdempotencyKeys {

    @Test
    @DisplayName("the first claim wins and later claims see its message id")
    void firstWins() {
      assertThat(store.claimIdempotencyKey("order-1", "m1", expiry())).isEmpty();
      assertThat(store.claimIdempotencyKey("order-1", "m2", expiry())).contains("m1");
    }

    @Test
    @DisplayName("claiming again with the same message id is idempotent")
    void sameIdAgain() {
      store.claimIdempotencyKey("order-1", "m1", expiry());
      assertThat(store.claimIdempotencyKey("order-1", "m1", expiry())).isEmpty();
    }

    @Test
    @DisplayName("different keys are independent")
    void independentKeys() {
      store.claimIdempotencyKey("order-1", "m1", expiry());
      assertThat(store.claimIdempotencyKey("order-2", "m2", expiry())).isEmpty();
    }

    @Test
    @DisplayName("a claim holds 1 ms before it expires")
    void holdsBeforeExpiry() {
      store.claimIdempotencyKey("order-1", "m1", expiry());
      clock.advance(TTL.minusMillis(1));
      assertThat(store.claimIdempotencyKey("order-1", "m2", expiry())).contains("m1");
    }

    @Test
    @DisplayName("an expired claim (at its expiry time) can be taken by another message")
    void expiredClaimTaken() {
      store.claimIdempotencyKey("order-1", "m1", expiry());
      clock.advance(TTL);
      assertThat(store.claimIdempotencyKey("order-1", "m2", expiry())).isEmpty();
      assertThat(store.claimIdempotencyKey("order-1", "m3", expiry())).contains("m2");
    }

    @Test
    @DisplayName("8 threads claiming one key: exactly one wins, the others see the winner")
    void concurrentClaims() {
      List<Optional<String>> results = Concurrently.run(8,
          i -> store.claimIdempotencyKey("order-1", "m" + i, expiry()));
      assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
      int winner = results.indexOf(Optional.empty());
      assertThat(results).filteredOn(Optional::isPresent)
          .allSatisfy(r -> assertThat(r).contains("m" + winner));
    }
  }

  @Nested
  @DisplayName("records and provider links")
  class RecordsAndLinks {

    @Test
    @DisplayName("a saved record is found as it was saved")
    void saveFind() {
      MessageRecord r = saved("m1", 2);
      assertThat(store.find("m1")).contains(r);
      assertThat(store.find("nope")).isEmpty();
    }

    @Test
    @DisplayName("saving again replaces the record")
    void saveReplaces() {
      saved("m1", 1);
      MessageRecord moved = store.find("m1").orElseThrow().withProvider("secondary", clock.instant());
      store.save(moved);
      assertThat(store.find("m1")).contains(moved);
    }

    @Test
    @DisplayName("each provider id links to its message and 0-based part")
    void linksParts() {
      saved("m1", 3);
      store.linkProviderIds("m1", "primary", List.of("a", "b", "c"));
      assertThat(store.findLink("primary", "a")).contains(new ProviderLink("m1", 0));
      assertThat(store.findLink("primary", "c")).contains(new ProviderLink("m1", 2));
      assertThat(store.findLink("primary", "d")).isEmpty();
    }

    @Test
    @DisplayName("the same provider id at two providers is two links")
    void linksPerProvider() {
      store.linkProviderIds("m1", "primary", List.of("42"));
      store.linkProviderIds("m2", "secondary", List.of("42"));
      assertThat(store.findLink("primary", "42")).contains(new ProviderLink("m1", 0));
      assertThat(store.findLink("secondary", "42")).contains(new ProviderLink("m2", 0));
    }

    @Test
    @DisplayName("recordSent writes the record and links its provider ids, durable when it returns")
    void recordSent() {
      MessageRecord r = MessageRecord.accepted("m1", "primary", TO, FROM, 2, clock.instant());
      store.recordSent(r, "primary", List.of("a", "b"));
      assertThat(store.find("m1")).contains(r);
      assertThat(store.findLink("primary", "b")).contains(new ProviderLink("m1", 1));
    }

    @Test
    @DisplayName("recordSent replaces a record saved before, and links nothing for no provider ids")
    void recordSentReplaces() {
      saved("m1", 1);
      MessageRecord moved = store.find("m1").orElseThrow().withProvider("secondary", clock.instant());
      store.recordSent(moved, "secondary", List.of());
      assertThat(store.find("m1")).contains(moved);
      assertThat(store.findLink("secondary", "m1")).isEmpty();
    }

    @Test
    @DisplayName("recordSentAsync: once its future completed, the record and links are there")
    void recordSentAsync() {
      MessageRecord r = MessageRecord.accepted("m1", "primary", TO, FROM, 1, clock.instant());
      store.recordSentAsync(r, "primary/*", List.of("x")).join();
      assertThat(store.find("m1")).contains(r);
      assertThat(store.findLink("primary/*", "x")).contains(new ProviderLink("m1", 0));
    }

    @Test
    @DisplayName("200 concurrent recordSentAsync calls each end with their own record and link")
    void recordSentConcurrently() {
      java.util.List<java.util.concurrent.CompletableFuture<Void>> writes =
          java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      Concurrently.run(8, t -> {
        for (int i = 0; i < 25; i++) {
          String id = "m" + t + "-" + i;
          writes.add(store.recordSentAsync(MessageRecord.accepted(id, "primary", TO, FROM, 1, clock.instant()),
              "primary", List.of("p" + id)));
        }
        return null;
      });
      writes.forEach(java.util.concurrent.CompletableFuture::join);
      for (int t = 0; t < 8; t++) {
        for (int i = 0; i < 25; i++) {
          String id = "m" + t + "-" + i;
          assertThat(store.find(id)).as(id).isPresent();
          assertThat(store.findLink("primary", "p" + id)).contains(new ProviderLink(id, 0));
        }
      }
    }

    @Test
    @DisplayName("linking the same ids twice is idempotent")
    void relinking() {
      store.linkProviderIds("m1", "primary", List.of("a", "b"));
      store.linkProviderIds("m1", "primary", List.of("a", "b"));
      assertThat(store.findLink("primary", "b")).contains(new ProviderLink("m1", 1));
    }
  }

  @Nested
  @DisplayName("delivery reports")
  class Reports {

    @Test
    @DisplayName("a report for an unknown message changes nothing and returns empty")
    void unknownMessage() {
      assertThat(store.applyReport("nope", 0, DeliveryStatus.DELIVERED, null, clock.instant())).isEmpty();
    }

    @Test
    @DisplayName("a two-part message is delivered only when both parts are")
    void perPartMerge() {
      saved("m1", 2);
      MessageRecord afterFirst = store.applyReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant())
          .orElseThrow();
      assertThat(afterFirst.partStatuses()).containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.ACCEPTED);
      assertThat(afterFirst.status()).isEqualTo(DeliveryStatus.ACCEPTED);
      MessageRecord afterSecond = store.applyReport("m1", 1, DeliveryStatus.DELIVERED, null, clock.instant())
          .orElseThrow();
      assertThat(afterSecond.status()).isEqualTo(DeliveryStatus.DELIVERED);
      assertThat(store.find("m1")).contains(afterSecond);
    }

    @Test
    @DisplayName("one failed part makes the message failed once every part is final, keeping the error code")
    void failedPart() {
      saved("m1", 2);
      store.applyReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant());
      MessageRecord r = store.applyReport("m1", 1, DeliveryStatus.FAILED, "0x0B", clock.instant()).orElseThrow();
      assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
      assertThat(r.errorCode()).isEqualTo("0x0B");
    }

    @Test
    @DisplayName("a report for the whole message (part -1) moves every part")
    void wholeMessage() {
      saved("m1", 3);
      MessageRecord r = store.applyReport("m1", -1, DeliveryStatus.SENT, null, clock.instant()).orElseThrow();
      assertThat(r.partStatuses()).containsOnly(DeliveryStatus.SENT);
      assertThat(r.status()).isEqualTo(DeliveryStatus.SENT);
    }

    @Test
    @DisplayName("statuses are monotonic: a late SENT or a second final report never undoes DELIVERED")
    void monotonic() {
      saved("m1", 1);
      store.applyReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant());
      store.applyReport("m1", 0, DeliveryStatus.SENT, null, clock.instant());
      MessageRecord r = store.applyReport("m1", 0, DeliveryStatus.FAILED, "x", clock.instant()).orElseThrow();
      assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
      assertThat(r.partStatuses()).containsExactly(DeliveryStatus.DELIVERED);
    }

    @Test
    @DisplayName("a duplicated report is applied once")
    void duplicate() {
      saved("m1", 1);
      MessageRecord first = store.applyReport("m1", 0, DeliveryStatus.SENT, null, clock.instant()).orElseThrow();
      clock.advanceMillis(5);
      MessageRecord second = store.applyReport("m1", 0, DeliveryStatus.SENT, null, clock.instant()).orElseThrow();
      assertThat(second).isEqualTo(first);
    }

    @Test
    @DisplayName("mergeReport says whether the report changed the record; empty for an unknown message")
    void mergeReport() {
      saved("m1", 1);
      dev.smsgateway.store.ReportMerge first = store.mergeReport("m1", 0, DeliveryStatus.SENT, null, clock.instant())
          .orElseThrow();
      assertThat(first.changed()).isTrue();
      assertThat(first.record().status()).isEqualTo(DeliveryStatus.SENT);
      clock.advanceMillis(5);
      dev.smsgateway.store.ReportMerge again = store.mergeReport("m1", 0, DeliveryStatus.SENT, null, clock.instant())
          .orElseThrow();
      assertThat(again.changed()).isFalse();
      assertThat(again.record()).isEqualTo(first.record());
      assertThat(store.find("m1")).contains(first.record());
      assertThat(store.mergeReport("nope", 0, DeliveryStatus.SENT, null, clock.instant())).isEmpty();
    }

    @Test
    @DisplayName("8 threads each delivering one part of an 8-part message lose no update")
    void concurrentParts() {
      saved("m1", 8);
      Concurrently.run(8, i -> store.applyReport("m1", i, DeliveryStatus.DELIVERED, null, clock.instant()));
      MessageRecord r = store.find("m1").orElseThrow();
      assertThat(r.partStatuses()).containsOnly(DeliveryStatus.DELIVERED);
      assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    }
  }

  @Nested
  @DisplayName("parked reports")
  class Parked {

    @Test
    @DisplayName("parked reports are taken once, oldest first")
    void takeOnceOldestFirst() {
      DeliveryReport later = report("primary", "p1", DeliveryStatus.DELIVERED, START.plusSeconds(2));
      DeliveryReport earlier = report("primary", "p1", DeliveryStatus.SENT, START.plusSeconds(1));
      store.park(later, expiry());
      store.park(earlier, expiry());
      assertThat(store.takeParked("primary", "p1")).extracting(DeliveryReport::status)
          .containsExactly(DeliveryStatus.SENT, DeliveryStatus.DELIVERED);
      assertThat(store.takeParked("primary", "p1")).isEmpty();
    }

    @Test
    @DisplayName("parked reports are kept per provider and provider id")
    void perKey() {
      store.park(report("primary", "p1", DeliveryStatus.DELIVERED, START), expiry());
      assertThat(store.takeParked("secondary", "p1")).isEmpty();
      assertThat(store.takeParked("primary", "p2")).isEmpty();
      assertThat(store.takeParked("primary", "p1")).hasSize(1);
    }

    @Test
    @DisplayName("8 threads taking one key: each parked report goes to exactly one of them")
    void concurrentTakes() {
      store.park(report("primary", "p1", DeliveryStatus.SENT, START.plusSeconds(1)), expiry());
      store.park(report("primary", "p1", DeliveryStatus.DELIVERED, START.plusSeconds(2)), expiry());
      List<List<DeliveryReport>> taken = Concurrently.run(8, i -> store.takeParked("primary", "p1"));
      assertThat(taken.stream().flatMap(List::stream).map(DeliveryReport::status).toList())
          .containsExactlyInAnyOrder(DeliveryStatus.SENT, DeliveryStatus.DELIVERED);
    }

    @Test
    @DisplayName("an expired parked report is not returned")
    void expired() {
      store.park(report("primary", "p1", DeliveryStatus.DELIVERED, START), expiry());
      clock.advance(TTL);
      assertThat(store.takeParked("primary", "p1")).isEmpty();
    }
  }

  @Nested
  @DisplayName("seen marks")
  class Seen {

    @Test
    @DisplayName("only the first markSeen returns true while the mark lives")
    void firstOnly() {
      assertThat(store.markSeen("twilio:SM1", expiry())).isTrue();
      assertThat(store.markSeen("twilio:SM1", expiry())).isFalse();
      assertThat(store.markSeen("twilio:SM2", expiry())).isTrue();
    }

    @Test
    @DisplayName("a mark holds 1 ms before expiry and is gone at expiry")
    void markExpiry() {
      store.markSeen("k", clock.instant().plus(TTL));
      clock.advance(TTL.minusMillis(1));
      assertThat(store.markSeen("k", clock.instant().plus(TTL))).isFalse();
      clock.advanceMillis(1);
      assertThat(store.markSeen("k", clock.instant().plus(TTL))).isTrue();
    }

    @Test
    @DisplayName("unmarkSeen lets a redelivery through")
    void unmark() {
      store.markSeen("k", expiry());
      store.unmarkSeen("k");
      assertThat(store.markSeen("k", expiry())).isTrue();
    }

    @Test
    @DisplayName("8 threads marking one key: exactly one true")
    void concurrent() {
      List<Boolean> results = Concurrently.run(8, i -> store.markSeen("twilio:SM1", expiry()));
      assertThat(results).containsOnlyOnce(true);
    }
  }

  @Nested
  @DisplayName("counters")
  class Counters {

    @Test
    @DisplayName("a new counter starts at 0; each addition returns the total after it, negative ones too")
    void addAndRead() {
      assertThat(store.counter("spend:day")).isZero();
      assertThat(store.addToCounter("spend:day", 7_500, expiry())).isEqualTo(7_500);
      assertThat(store.addToCounter("spend:day", 2_500, expiry())).isEqualTo(10_000);
      assertThat(store.addToCounter("spend:day", -4_000, expiry())).isEqualTo(6_000);
      assertThat(store.addToCounter("spend:day", 0, expiry())).isEqualTo(6_000);
      assertThat(store.counter("spend:day")).isEqualTo(6_000);
      assertThat(store.counter("spend:month")).isZero();
    }

    @Test
    @DisplayName("counters are independent and hold totals beyond 32 bits")
    void independentAndLong() {
      store.addToCounter("a", 5_000_000_000L, expiry());
      store.addToCounter("b", 1, expiry());
      assertThat(store.counter("a")).isEqualTo(5_000_000_000L);
      assertThat(store.counter("b")).isEqualTo(1);
    }

    @Test
    @DisplayName("a counter holds 1 ms before expiry; at expiry it reads 0 and the next addition starts from 0")
    void expires() {
      store.addToCounter("k", 10, clock.instant().plus(TTL));
      clock.advance(TTL.minusMillis(1));
      assertThat(store.counter("k")).isEqualTo(10);
      clock.advanceMillis(1);
      assertThat(store.counter("k")).isZero();
      assertThat(store.addToCounter("k", 3, clock.instant().plus(TTL))).isEqualTo(3);
      assertThat(store.counter("k")).isEqualTo(3);
    }

    @Test
    @DisplayName("an addition moves the expiry to the one it gives")
    void additionRenews() {
      store.addToCounter("k", 1, clock.instant().plus(TTL));
      clock.advance(TTL.minusMillis(1));
      store.addToCounter("k", 1, clock.instant().plus(TTL));
      clock.advanceMillis(1);
      assertThat(store.counter("k")).isEqualTo(2);
    }

    @Test
    @DisplayName("8 threads adding 25 times each count exactly, and every returned total is distinct")
    void concurrentAdds() {
      List<List<Long>> totals = Concurrently.run(8, i -> {
        List<Long> seen = new java.util.ArrayList<>();
        for (int n = 0; n < 25; n++) {
          seen.add(store.addToCounter("spend:month", 3, expiry()));
        }
        return seen;
      });
      assertThat(store.counter("spend:month")).isEqualTo(8 * 25 * 3);
      assertThat(totals.stream().flatMap(List::stream).distinct().count()).isEqualTo(8 * 25);
    }

    @Test
    @DisplayName("purgeExpired deletes expired counters and keeps live ones")
    void purge() {
      store.addToCounter("old", 1, expiry());
      clock.advance(TTL);
      store.addToCounter("new", 2, expiry());
      assertThat(store.purgeExpired()).isEqualTo(1);
      assertThat(store.counter("new")).isEqualTo(2);
      assertThat(store.counter("old")).isZero();
    }
  }

  @Nested
  @DisplayName("purging")
  class Purging {

    @Test
    @DisplayName("purgeExpired deletes expired claims, marks and parked reports, and keeps live ones")
    void purge() {
      store.claimIdempotencyKey("old", "m1", expiry());
      store.markSeen("old", expiry());
      store.park(report("primary", "old", DeliveryStatus.DELIVERED, START), expiry());
      clock.advance(TTL);
      store.claimIdempotencyKey("new", "m2", expiry());
      store.markSeen("new", expiry());
      store.park(report("primary", "new", DeliveryStatus.DELIVERED, START), expiry());
      assertThat(store.purgeExpired()).isEqualTo(3);
      assertThat(store.claimIdempotencyKey("new", "m3", expiry())).contains("m2");
      assertThat(store.markSeen("new", expiry())).isFalse();
      assertThat(store.takeParked("primary", "new")).hasSize(1);
      assertThat(store.claimIdempotencyKey("old", "m4", expiry())).isEmpty();
    }
  }
}
