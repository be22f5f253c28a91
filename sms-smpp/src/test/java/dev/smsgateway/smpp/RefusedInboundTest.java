package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusedInboundTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final RefusedInbound refused = new RefusedInbound(clock, Duration.ofMinutes(10), 3);
  private final String yes = RefusedInbound.key("+4915112345678", "+14155550100", 1, "yes");

  @Test
  void aRefusedDeliveryIsTakenOnceByTheNextMatch() {
    refused.refusedNow(yes, "smpp-1");
    assertThat(refused.take(RefusedInbound.key("+4915112345678", "+14155550100", 1, "Yes"))).isEmpty();
    assertThat(refused.take(RefusedInbound.key("+4915112345678", "+14155550100", 2, "yes"))).isEmpty();
    assertThat(refused.take(yes)).contains("smpp-1");
    assertThat(refused.take(yes)).isEmpty();
    assertThat(refused.size()).isZero();
  }

  @Test
  void twoRefusalsOfTheSameTextAreTakenOldestFirst() {
    refused.refusedNow(yes, "smpp-1");
    refused.refusedNow(yes, "smpp-2");
    assertThat(refused.take(yes)).contains("smpp-1");
    assertThat(refused.take(yes)).contains("smpp-2");
    assertThat(refused.take(yes)).isEmpty();
  }

  @Test
  void anExpiredRefusalIsNotReused() {
    refused.refusedNow(yes, "smpp-1");
    clock.advance(Duration.ofMinutes(10));
    assertThat(refused.take(yes)).isEmpty();
    assertThat(refused.size()).isZero();
  }

  @Test
  void keepsAtMostItsCapacityDroppingTheOldest() {
    for (int i = 1; i <= 4; i++) {
      refused.refusedNow(RefusedInbound.key("+4915112345678", "+14155550100", 1, "m" + i), "smpp-" + i);
    }
    assertThat(refused.size()).isEqualTo(3);
    assertThat(refused.take(RefusedInbound.key("+4915112345678", "+14155550100", 1, "m1"))).isEmpty();
    assertThat(refused.take(RefusedInbound.key("+4915112345678", "+14155550100", 1, "m4"))).contains("smpp-4");
  }
}
