package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OriginatorStore} must show. Extend it in a test, return a fresh, empty store from
 * {@link #createStore(Clock)} that reads the time from the given clock, and JUnit runs every check:
 *
 * <pre>{@code
 * class JdbcOriginatorStoreCompatibilityTest extends OriginatorStoreCompatibilityKit {
 *   protected OriginatorStore createStore(Clock clock) { return new JdbcOriginatorStore(dataSource, clock); }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class OriginatorStoreCompatibilityKit extends StoreCompatibilityKit<OriginatorStore> {

  /** The TTL the checks use. */
  protected static final Duration TTL = Duration.ofHours(24);

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  protected static final PhoneNumber OTHER_CUSTOMER = PhoneNumber.of("+447700900123");
  protected static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  protected static final Originator OTHER_BUSINESS = Originator.tollFree(PhoneNumber.of("+18005550100"));

  /** A record for {@code customer} and {@code business} created now, living {@link #TTL}. */
  protected OriginatorRecord record(PhoneNumber customer, Originator business, String agent) {
    return OriginatorRecord.of(customer, business, agent, "Hi, this is " + agent, "msg-" + agent, clock.instant(),
        TTL);
  }

  @Nested
  @DisplayName("put and find")
  class PutAndFind {

    @Test
    @DisplayName("a stored record is found with every field as it was put")
    void roundTrip() {
      OriginatorRecord r = record(CUSTOMER, BUSINESS, "alice");
      store.put(r);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(r);
    }

    @Test
    @DisplayName("a record with a null text and message id round-trips")
    void nullOptionalFields() {
      OriginatorRecord r = OriginatorRecord.of(CUSTOMER, BUSINESS, "alice", null, null, clock.instant(), TTL);
      store.put(r);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(r);
    }

    @Test
    @DisplayName("an unknown customer and business number find nothing")
    void unknown() {
      assertThat(store.find(CUSTOMER, BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("the key is customer plus business number: other pairs are independent")
    void keyedByPair() {
      OriginatorRecord alice = record(CUSTOMER, BUSINESS, "alice");
      OriginatorRecord bob = record(CUSTOMER, OTHER_BUSINESS, "bob");
      OriginatorRecord carol = record(OTHER_CUSTOMER, BUSINESS, "carol");
      store.put(alice);
      store.put(bob);
      store.put(carol);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(alice);
      assertThat(store.find(CUSTOMER, OTHER_BUSINESS)).contains(bob);
      assertThat(store.find(OTHER_CUSTOMER, BUSINESS)).contains(carol);
      assertThat(store.find(OTHER_CUSTOMER, OTHER_BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("the same short code in two countries is two business numbers")
    void shortCodesPerCountry() {
      Originator us = Originator.shortCode("12345", "US");
      Originator ca = Originator.shortCode("12345", "CA");
      OriginatorRecord alice = record(CUSTOMER, us, "alice");
      store.put(alice);
      assertThat(store.find(CUSTOMER, us)).contains(alice);
      assertThat(store.find(CUSTOMER, ca)).isEmpty();
    }

    @Test
    @DisplayName("an alphanumeric sender id works as a business number")
    void senderId() {
      Originator brand = Originator.alphanumeric("ACME");
      OriginatorRecord alice = record(CUSTOMER, brand, "alice");
      store.put(alice);
      assertThat(store.find(CUSTOMER, brand)).contains(alice);
    }

    @Test
    @DisplayName("a newer put for the same pair replaces the older record (the last agent gets the reply)")
    void lastWriterWins() {
      store.put(record(CUSTOMER, BUSINESS, "alice"));
      clock.advance(Duration.ofMinutes(5));
      OriginatorRecord bob = record(CUSTOMER, BUSINESS, "bob");
      store.put(bob);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(bob);
    }

    @Test
    @DisplayName("replace stores the record and returns the live record it replaced (none, expired: empty)")
    void replace() {
      OriginatorRecord alice = record(CUSTOMER, BUSINESS, "alice");
      assertThat(store.replace(alice)).isEmpty();
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(alice);
      clock.advance(Duration.ofMinutes(5));
      OriginatorRecord bob = record(CUSTOMER, BUSINESS, "bob");
      assertThat(store.replace(bob)).contains(alice);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(bob);
      clock.advance(TTL.plusMinutes(1));
      OriginatorRecord carol = record(CUSTOMER, BUSINESS, "carol");
      assertThat(store.replace(carol)).isEmpty();
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(carol);
      assertThat(store.find(CUSTOMER, OTHER_BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("putAsync: once its future completed the record is found, a newer one replaces it")
    void putAsync() {
      OriginatorRecord alice = record(CUSTOMER, BUSINESS, "alice");
      store.putAsync(alice).join();
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(alice);
      clock.advance(Duration.ofMinutes(5));
      OriginatorRecord bob = record(CUSTOMER, BUSINESS, "bob");
      store.putAsync(bob).join();
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(bob);
    }

    @Test
    @DisplayName("putting the same record twice is harmless")
    void idempotentPut() {
      OriginatorRecord r = record(CUSTOMER, BUSINESS, "alice");
      store.put(r);
      store.put(r);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(r);
    }

    @Test
    @DisplayName("remove deletes the record and says whether one was there")
    void remove() {
      store.put(record(CUSTOMER, BUSINESS, "alice"));
      assertThat(store.remove(CUSTOMER, BUSINESS)).isTrue();
      assertThat(store.find(CUSTOMER, BUSINESS)).isEmpty();
      assertThat(store.remove(CUSTOMER, BUSINESS)).isFalse();
    }
  }

  @Nested
  @DisplayName("TTL, enforced on read")
  class Ttl {

    @Test
    @DisplayName("a record is live 1 ms before it expires")
    void liveJustBefore() {
      OriginatorRecord r = record(CUSTOMER, BUSINESS, "alice");
      store.put(r);
      clock.advance(TTL.minusMillis(1));
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(r);
    }

    @Test
    @DisplayName("a record has expired at exactly its expiry time")
    void expiredAtTtl() {
      store.put(record(CUSTOMER, BUSINESS, "alice"));
      clock.advance(TTL);
      assertThat(store.find(CUSTOMER, BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("a record has expired 1 ms after its expiry time, purged or not")
    void expiredAfterTtl() {
      store.put(record(CUSTOMER, BUSINESS, "alice"));
      clock.advance(TTL.plusMillis(1));
      assertThat(store.find(CUSTOMER, BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("an expired record stays expired when the clock is read again")
    void staysExpired() {
      store.put(record(CUSTOMER, BUSINESS, "alice"));
      clock.advance(TTL);
      assertThat(store.find(CUSTOMER, BUSINESS)).isEmpty();
      assertThat(store.find(CUSTOMER, BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("a new put after expiry is live again")
    void renewedAfterExpiry() {
      store.put(record(CUSTOMER, BUSINESS, "alice"));
      clock.advance(TTL.plusMillis(1));
      OriginatorRecord bob = record(CUSTOMER, BUSINESS, "bob");
      store.put(bob);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(bob);
    }

    @Test
    @DisplayName("purgeExpired deletes exactly the expired records")
    void purge() {
      store.put(record(CUSTOMER, BUSINESS, "alice"));
      store.put(record(OTHER_CUSTOMER, BUSINESS, "bob"));
      clock.advance(Duration.ofHours(1));
      OriginatorRecord fresh = record(CUSTOMER, OTHER_BUSINESS, "carol");
      store.put(fresh);
      clock.advance(TTL.minusMinutes(30));
      assertThat(store.purgeExpired()).isEqualTo(2);
      assertThat(store.find(CUSTOMER, OTHER_BUSINESS)).contains(fresh);
      assertThat(store.purgeExpired()).isZero();
    }
  }

  @Nested
  @DisplayName("concurrency")
  class Concurrency {

    @Test
    @DisplayName("8 threads putting different customers lose nothing")
    void parallelPuts() {
      List<OriginatorRecord> put = Concurrently.run(8, i -> {
        OriginatorRecord r = record(PhoneNumber.of("+1415555010" + i), BUSINESS, "agent" + i);
        store.put(r);
        return r;
      });
      for (OriginatorRecord r : put) {
        assertThat(store.find(r.customer(), BUSINESS)).contains(r);
      }
    }

    @Test
    @DisplayName("8 threads putting the same pair leave exactly one of their records")
    void parallelSameKey() {
      List<OriginatorRecord> put = Concurrently.run(8, i -> {
        OriginatorRecord r = record(CUSTOMER, BUSINESS, "agent" + i);
        store.put(r);
        return r;
      });
      assertThat(store.find(CUSTOMER, BUSINESS)).hasValueSatisfying(r -> assertThat(put).contains(r));
    }
  }

  @Nested
  @DisplayName("replaceAsync")
  class AsyncReplace {

    @Test
    @DisplayName("completes with what replace returns (none, the live record, expired: empty); the record is found once"
        + " the future completed")
    void sameAsSync() {
      OriginatorRecord alice = record(CUSTOMER, BUSINESS, "alice");
      assertThat(store.replaceAsync(alice).join()).isEmpty();
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(alice);
      clock.advance(Duration.ofMinutes(5));
      OriginatorRecord bob = record(CUSTOMER, BUSINESS, "bob");
      assertThat(store.replaceAsync(bob).join()).contains(alice);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(bob);
      clock.advance(TTL.plusMinutes(1));
      OriginatorRecord carol = record(CUSTOMER, BUSINESS, "carol");
      assertThat(store.replaceAsync(carol).join()).isEmpty();
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(carol);
      assertThat(store.find(CUSTOMER, OTHER_BUSINESS)).isEmpty();
    }

    @Test
    @DisplayName("two claims of one pair in sequence: the second returns the first; mixed with replace, the same")
    void inSequence() {
      OriginatorRecord alice = record(CUSTOMER, BUSINESS, "alice");
      assertThat(store.replaceAsync(alice).join()).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      OriginatorRecord bob = record(CUSTOMER, BUSINESS, "bob");
      assertThat(store.replaceAsync(bob).join()).contains(alice);
      clock.advance(Duration.ofSeconds(1));
      OriginatorRecord carol = record(CUSTOMER, BUSINESS, "carol");
      assertThat(store.replace(carol)).contains(bob);
      clock.advance(Duration.ofSeconds(1));
      OriginatorRecord dave = record(CUSTOMER, BUSINESS, "dave");
      assertThat(store.replaceAsync(dave).join()).contains(carol);
      assertThat(store.find(CUSTOMER, BUSINESS)).contains(dave);
    }

    @Test
    @DisplayName("50 concurrent claims of distinct pairs each return their own pair's previous record (or none)")
    void concurrentDistinctPairs() {
      List<OriginatorRecord> before = new ArrayList<>();
      List<OriginatorRecord> after = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        PhoneNumber customer = PhoneNumber.of(String.format("+1415555%04d", 2000 + i));
        Originator business = i % 2 == 0 ? BUSINESS : OTHER_BUSINESS;
        OriginatorRecord old = i % 5 == 4 ? null : record(customer, business, "old" + i);
        if (old != null) {
          store.put(old);
        }
        before.add(old);
        after.add(record(customer, business, "new" + i));
      }
      List<CompletableFuture<Optional<OriginatorRecord>>> claims = Collections.synchronizedList(new ArrayList<>(
          Collections.nCopies(50, null)));
      Concurrently.run(8, t -> {
        for (int i = t; i < 50; i += 8) {
          claims.set(i, store.replaceAsync(after.get(i)));
        }
        return null;
      });
      for (int i = 0; i < 50; i++) {
        assertThat(claims.get(i).join()).as("claim %d", i).isEqualTo(Optional.ofNullable(before.get(i)));
        OriginatorRecord r = after.get(i);
        assertThat(store.find(r.customer(), r.business())).as("pair %d", i).contains(r);
      }
    }
  }
}
