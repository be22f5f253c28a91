package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.AuditEvent;
import dev.smsgateway.compliance.AuditLog;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditLog} must show: appended events come back whole, by customer, conversation,
 * message and time range, in sequence order; retention purges only what is older than the cut-off. Extend it and
 * return a fresh, empty log from {@link #createStore(java.time.Clock)}.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class AuditLogCompatibilityKit extends StoreCompatibilityKit<AuditLog> {

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  protected static final PhoneNumber OTHER_CUSTOMER = PhoneNumber.of("+18085550100");

  protected AuditEvent event(long sequence, Instant at, PhoneNumber customer, String conversationId,
      String messageId) {
    return new AuditEvent(sequence, at, AuditEvent.Type.ROUTED, customer, "+14155550199", conversationId, messageId,
        "ToQueue", "no open conversation; number's queue \"sales\"");
  }

  @Nested
  @DisplayName("appending and querying")
  class Querying {

    @Test
    @DisplayName("an event comes back whole; optional fields may be absent")
    void roundTrip() {
      AuditEvent full = event(10, clock.instant(), CUSTOMER, "c1", "m1");
      AuditEvent bare = new AuditEvent(11, clock.instant(), AuditEvent.Type.EXPORTED, null, null, null, null,
          "MASKED", null);
      log().append(full);
      log().append(bare);
      assertThat(store.forCustomer(CUSTOMER)).containsExactly(full);
      assertThat(store.between(clock.instant(), clock.instant().plusSeconds(1))).containsExactly(full, bare);
    }

    @Test
    @DisplayName("queries by customer, conversation and message return events in sequence order")
    void byKey() {
      Instant t = clock.instant();
      AuditEvent e3 = event(3, t, CUSTOMER, "c1", "m2");
      AuditEvent e1 = event(1, t, CUSTOMER, "c1", "m1");
      AuditEvent e2 = event(2, t, OTHER_CUSTOMER, "c2", "m1");
      log().append(e3);
      log().append(e1);
      log().append(e2);
      assertThat(store.forCustomer(CUSTOMER)).containsExactly(e1, e3);
      assertThat(store.forConversation("c1")).containsExactly(e1, e3);
      assertThat(store.forMessage("m1")).containsExactly(e1, e2);
      assertThat(store.forConversation("none")).isEmpty();
    }

    @Test
    @DisplayName("a time range includes its start and excludes its end")
    void range() {
      Instant t = clock.instant();
      AuditEvent before = event(1, t.minusNanos(1), CUSTOMER, null, null);
      AuditEvent start = event(2, t, CUSTOMER, null, null);
      AuditEvent end = event(3, t.plusSeconds(60), CUSTOMER, null, null);
      log().append(before);
      log().append(start);
      log().append(end);
      assertThat(store.between(t, t.plusSeconds(60))).containsExactly(start);
    }

    @Test
    @DisplayName("appending the same event twice stores it once")
    void idempotent() {
      AuditEvent e = event(1, clock.instant(), CUSTOMER, "c1", "m1");
      log().append(e);
      log().append(e);
      assertThat(store.forCustomer(CUSTOMER)).containsExactly(e);
    }
  }

  @Nested
  @DisplayName("retention")
  class Retention {

    @Test
    @DisplayName("purgeBefore removes exactly the events older than the cut-off and says how many")
    void purge() {
      Instant t = clock.instant();
      log().append(event(1, t.minus(Duration.ofDays(400)), CUSTOMER, "c1", "m1"));
      log().append(event(2, t.minus(Duration.ofDays(366)), CUSTOMER, "c1", "m1"));
      AuditEvent kept = event(3, t.minus(Duration.ofDays(365)), CUSTOMER, "c1", "m1");
      log().append(kept);
      assertThat(store.purgeBefore(t.minus(Duration.ofDays(365)))).isEqualTo(2);
      assertThat(store.forCustomer(CUSTOMER)).containsExactly(kept);
      assertThat(store.purgeBefore(t.minus(Duration.ofDays(365)))).isZero();
    }
  }

  private AuditLog log() {
    return store;
  }
}
