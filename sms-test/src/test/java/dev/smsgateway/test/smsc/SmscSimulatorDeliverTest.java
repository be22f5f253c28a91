package dev.smsgateway.test.smsc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Delivering with no client bound is a mistake in the test, reported as such instead of a status of -1. */
class SmscSimulatorDeliverTest {

  @Test
  @DisplayName("deliverMo, deliverReceipt and deliver with no client bound throw a clear IllegalStateException")
  void nothingBound() {
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "pw").build().start()) {
      assertThatThrownBy(() -> smsc.deliverMo("+14155550100", "12345", "STOP"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("no client is bound")
          .hasMessageContaining("awaitBound");
      assertThatThrownBy(() -> smsc.deliverReceipt("abc", "DELIVRD")).isInstanceOf(IllegalStateException.class);
    }
  }
}
