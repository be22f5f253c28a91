package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OptOutStore} must show: latest record wins, global per customer, durable once
 * {@link OptOutStore#record} returned; {@link OptOutStore#isOptedOutAsync} answers as {@link OptOutStore#isOptedOut}
 * does, each concurrent caller its own customer's answer. Extend it and return a fresh, empty store from
 * {@link #createStore(Clock)}.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class OptOutStoreCompatibilityKit extends StoreCompatibilityKit<OptOutStore> {

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  protected static final PhoneNumber OTHER_CUSTOMER = PhoneNumber.of("+447700900123");

  protected OptOutRecord stop(PhoneNumber customer, Instant at) {
    return new OptOutRecord(customer, true, "STOP", "+14155550199", at);
  }

  protected OptOutRecord start(PhoneNumber customer, Instant at) {
    return new OptOutRecord(customer, false, "START", "+14155550199", at);
  }

  @Nested
  @DisplayName("recording")
  class Recording {

    @Test
    @DisplayName("a customer with no record is not opted out")
    void unknown() {
      assertThat(store.isOptedOut(CUSTOMER)).isFalse();
      assertThat(store.find(CUSTOMER)).isEmpty();
    }

    @Test
    @DisplayName("STOP opts the customer out, and the record is found as written")
    void stopRecorded() {
      OptOutRecord r = stop(CUSTOMER, clock.instant());
      store.record(r);
      assertThat(store.isOptedOut(CUSTOMER)).isTrue();
      assertThat(store.find(CUSTOMER)).contains(r);
    }

    @Test
    @DisplayName("a provider-sourced opt-out with a provider code round-trips")
    void providerSource() {
      OptOutRecord r = new OptOutRecord(CUSTOMER, true, "twilio:21610", "twilio", clock.instant());
      store.record(r);
      assertThat(store.find(CUSTOMER)).contains(r);
    }

    @Test
    @DisplayName("an opt-out of one customer does not affect another")
    void perCustomer() {
      store.record(stop(CUSTOMER, clock.instant()));
      assertThat(store.isOptedOut(OTHER_CUSTOMER)).isFalse();
    }

    @Test
    @DisplayName("recording the same opt-out twice is harmless")
    void idempotent() {
      OptOutRecord r = stop(CUSTOMER, clock.instant());
      store.record(r);
      store.record(r);
      assertThat(store.find(CUSTOMER)).contains(r);
    }
  }

  @Nested
  @DisplayName("latest wins")
  class LatestWins {

    @Test
    @DisplayName("START after STOP opts the customer back in")
    void startAfterStop() {
      store.record(stop(CUSTOMER, clock.instant()));
      OptOutRecord in = start(CUSTOMER, clock.instant().plusSeconds(60));
      store.record(in);
      assertThat(store.isOptedOut(CUSTOMER)).isFalse();
      assertThat(store.find(CUSTOMER)).contains(in);
    }

    @Test
    @DisplayName("an older START that arrives late does not undo a newer STOP")
    void olderLoses() {
      OptOutRecord out = stop(CUSTOMER, clock.instant().plusSeconds(60));
      store.record(out);
      store.record(start(CUSTOMER, clock.instant()));
      assertThat(store.isOptedOut(CUSTOMER)).isTrue();
      assertThat(store.find(CUSTOMER)).contains(out);
    }

    @Test
    @DisplayName("for equal times the later write wins")
    void tieLaterWrite() {
      Instant t = clock.instant();
      store.record(stop(CUSTOMER, t));
      OptOutRecord in = start(CUSTOMER, t);
      store.record(in);
      assertThat(store.find(CUSTOMER)).contains(in);
    }

    @Test
    @DisplayName("8 threads writing records at different times leave the newest")
    void concurrentNewestWins() {
      List<OptOutRecord> written = Concurrently.run(8, i -> {
        OptOutRecord r = i % 2 == 0 ? stop(CUSTOMER, START.plus(Duration.ofSeconds(i)))
            : start(CUSTOMER, START.plus(Duration.ofSeconds(i)));
        store.record(r);
        return r;
      });
      OptOutRecord newest = written.stream().max(Comparator.comparing(OptOutRecord::at)).orElseThrow();
      assertThat(store.find(CUSTOMER)).contains(newest);
      assertThat(store.isOptedOut(CUSTOMER)).isEqualTo(newest.optedOut());
    }
  }

  @Nested
  @DisplayName("isOptedOutAsync")
  class AsyncLookups {

    @Test
    @DisplayName("answers what isOptedOut answers: unknown, after STOP, after START")
    void sameAsSync() {
      assertThat(store.isOptedOutAsync(CUSTOMER).join()).isFalse();
      store.record(stop(CUSTOMER, clock.instant()));
      assertThat(store.isOptedOutAsync(CUSTOMER).join()).isTrue().isEqualTo(store.isOptedOut(CUSTOMER));
      assertThat(store.isOptedOutAsync(OTHER_CUSTOMER).join()).isFalse();
      store.record(start(CUSTOMER, clock.instant().plusSeconds(60)));
      assertThat(store.isOptedOutAsync(CUSTOMER).join()).isFalse().isEqualTo(store.isOptedOut(CUSTOMER));
    }

    @Test
    @DisplayName("200 concurrent look-ups of 100 customers (opted out, back in, never recorded), each asked twice:"
        + " every caller gets its own customer's answer")
    void concurrentMixed() {
      List<PhoneNumber> customers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        PhoneNumber customer = PhoneNumber.of(String.format("+1415555%04d", 1000 + i));
        customers.add(customer);
        if (i % 3 == 0) {
          store.record(stop(customer, clock.instant()));
        } else if (i % 3 == 1) {
          store.record(stop(customer, clock.instant()));
          store.record(start(customer, clock.instant().plusSeconds(1)));
        }
      }
      List<CompletableFuture<Boolean>> answers = Collections.synchronizedList(new ArrayList<>(
          Collections.nCopies(200, null)));
      Concurrently.run(8, t -> {
        for (int k = t; k < 200; k += 8) {
          answers.set(k, store.isOptedOutAsync(customers.get(k % 100)));
        }
        return null;
      });
      for (int k = 0; k < 200; k++) {
        assertThat(answers.get(k).join()).as("look-up %d of customer %d", k, k % 100).isEqualTo((k % 100) % 3 == 0);
      }
    }
  }
}
