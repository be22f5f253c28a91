package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.HeldMessage;
import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.compliance.Purpose;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link HeldMessageStore} must show: held messages come back whole, due ones only, in release
 * order, each taken once. Extend it and return a fresh, empty store from {@link #createStore(java.time.Clock)}.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class HeldMessageStoreCompatibilityKit extends StoreCompatibilityKit<HeldMessageStore> {

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+18085550100");

  protected HeldMessage held(String id, Instant releaseAt, long sequence) {
    return new HeldMessage(id, CUSTOMER, "+14155550199", "Sale starts at 9 \"sharp\" ⏰", "twilio",
        Purpose.MARKETING, true, List.of(URI.create("https://example.com/a.png")),
        Map.of("campaign", "spring=sale&x", "agentId", "alice"), releaseAt, sequence);
  }

  @Nested
  @DisplayName("holding and taking")
  class HoldingAndTaking {

    @Test
    @DisplayName("a held message comes back whole once due")
    void roundTrip() {
      HeldMessage h = held("m1", clock.instant().plus(Duration.ofHours(3)), 1);
      store.hold(h);
      assertThat(store.all()).containsExactly(h);
      assertThat(store.takeDue(clock.instant(), 10)).isEmpty();
      assertThat(store.takeDue(h.releaseAt(), 10)).containsExactly(h);
    }

    @Test
    @DisplayName("optional fields may be absent")
    void minimal() {
      HeldMessage h = new HeldMessage("m1", CUSTOMER, null, "Hi", null, Purpose.TRANSACTIONAL, false, List.of(),
          Map.of(), clock.instant(), 7);
      store.hold(h);
      assertThat(store.takeDue(clock.instant(), 10)).containsExactly(h);
    }

    @Test
    @DisplayName("a taken message is gone: a second take returns nothing")
    void takenOnce() {
      store.hold(held("m1", clock.instant(), 1));
      assertThat(store.takeDue(clock.instant(), 10)).hasSize(1);
      assertThat(store.takeDue(clock.instant(), 10)).isEmpty();
      assertThat(store.all()).isEmpty();
    }

    @Test
    @DisplayName("due messages come in release order, then acceptance order, up to the limit")
    void order() {
      Instant t = clock.instant();
      store.hold(held("late", t.plusSeconds(60), 1));
      store.hold(held("second", t, 3));
      store.hold(held("first", t, 2));
      store.hold(held("future", t.plusSeconds(3600), 4));
      assertThat(store.takeDue(t.plusSeconds(60), 2)).extracting(HeldMessage::messageId)
          .containsExactly("first", "second");
      assertThat(store.takeDue(t.plusSeconds(60), 10)).extracting(HeldMessage::messageId).containsExactly("late");
      assertThat(store.all()).extracting(HeldMessage::messageId).containsExactly("future");
    }
  }
}
