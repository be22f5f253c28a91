package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.ConsentMethod;
import dev.smsgateway.compliance.ConsentRecord;
import dev.smsgateway.compliance.ConsentScopes;
import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.compliance.Purpose;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ConsentStore} must show: an append-only history per customer, the latest record per
 * (scope, purpose) in force, durable once {@link ConsentStore#record} returned. Extend it and return a fresh, empty
 * store from {@link #createStore(java.time.Clock)}.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class ConsentStoreCompatibilityKit extends StoreCompatibilityKit<ConsentStore> {

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  protected static final PhoneNumber OTHER_CUSTOMER = PhoneNumber.of("+447700900123");
  protected static final String BRAND = ConsentScopes.brand("acme");

  protected ConsentRecord record(PhoneNumber customer, String scope, Purpose purpose, boolean granted, Instant at) {
    return new ConsentRecord(customer, scope, purpose, granted, ConsentMethod.WEB_FORM, "form-17", at);
  }

  @Nested
  @DisplayName("recording")
  class Recording {

    @Test
    @DisplayName("a customer with no record has no consent in force and an empty history")
    void unknown() {
      assertThat(store.latest(CUSTOMER, BRAND, Purpose.MARKETING)).isEmpty();
      assertThat(store.history(CUSTOMER)).isEmpty();
    }

    @Test
    @DisplayName("a grant is found as written, with its method and proof reference")
    void roundTrip() {
      ConsentRecord r = new ConsentRecord(CUSTOMER, BRAND, Purpose.MARKETING, true, ConsentMethod.AGENT, "call-9",
          clock.instant());
      store.record(r);
      assertThat(store.latest(CUSTOMER, BRAND, Purpose.MARKETING)).contains(r);
      assertThat(store.history(CUSTOMER)).containsExactly(r);
    }

    @Test
    @DisplayName("a record without a proof reference round-trips")
    void noProof() {
      ConsentRecord r = new ConsentRecord(CUSTOMER, ConsentScopes.GLOBAL, Purpose.TRANSACTIONAL, false,
          ConsentMethod.KEYWORD, null, clock.instant());
      store.record(r);
      assertThat(store.latest(CUSTOMER, ConsentScopes.GLOBAL, Purpose.TRANSACTIONAL)).contains(r);
    }

    @Test
    @DisplayName("scopes, purposes and customers are kept apart")
    void apart() {
      store.record(record(CUSTOMER, BRAND, Purpose.MARKETING, true, clock.instant()));
      assertThat(store.latest(CUSTOMER, BRAND, Purpose.TRANSACTIONAL)).isEmpty();
      assertThat(store.latest(CUSTOMER, ConsentScopes.GLOBAL, Purpose.MARKETING)).isEmpty();
      assertThat(store.latest(OTHER_CUSTOMER, BRAND, Purpose.MARKETING)).isEmpty();
    }

    @Test
    @DisplayName("recording the same record twice stores it once")
    void idempotent() {
      ConsentRecord r = record(CUSTOMER, BRAND, Purpose.MARKETING, true, clock.instant());
      store.record(r);
      store.record(r);
      assertThat(store.history(CUSTOMER)).containsExactly(r);
    }
  }

  @Nested
  @DisplayName("history")
  class History {

    @Test
    @DisplayName("the latest record is in force; the history keeps every record, oldest first")
    void latestWins() {
      ConsentRecord granted = record(CUSTOMER, BRAND, Purpose.MARKETING, true, clock.instant());
      ConsentRecord withdrawn = record(CUSTOMER, BRAND, Purpose.MARKETING, false,
          clock.instant().plus(Duration.ofDays(2)));
      store.record(granted);
      store.record(withdrawn);
      assertThat(store.latest(CUSTOMER, BRAND, Purpose.MARKETING)).contains(withdrawn);
      assertThat(store.history(CUSTOMER)).containsExactly(granted, withdrawn);
    }

    @Test
    @DisplayName("an older record written late does not replace the newer one in force")
    void lateOlderRecord() {
      ConsentRecord newer = record(CUSTOMER, BRAND, Purpose.MARKETING, false, clock.instant().plusSeconds(60));
      ConsentRecord older = record(CUSTOMER, BRAND, Purpose.MARKETING, true, clock.instant());
      store.record(newer);
      store.record(older);
      assertThat(store.latest(CUSTOMER, BRAND, Purpose.MARKETING)).contains(newer);
      assertThat(store.history(CUSTOMER)).containsExactly(older, newer);
    }

    @Test
    @DisplayName("times keep their nanoseconds")
    void precision() {
      Instant at = Instant.parse("2026-03-08T06:59:59.123456789Z");
      ConsentRecord r = record(CUSTOMER, BRAND, Purpose.MARKETING, true, at);
      store.record(r);
      assertThat(store.latest(CUSTOMER, BRAND, Purpose.MARKETING).orElseThrow().at()).isEqualTo(at);
    }
  }
}
