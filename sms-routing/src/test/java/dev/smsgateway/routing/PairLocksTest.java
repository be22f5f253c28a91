package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PairLocksTest {

  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  @Test
  @DisplayName("equal pairs get the same lock, whichever string objects they arrive as; customers spread over all stripes")
  void samePairSameLock() {
    PairLocks locks = new PairLocks();
    for (int i = 0; i < 1_000; i++) {
      String number = "+1415" + (2_000_000 + i);
      ReentrantLock a = locks.lockFor(PhoneNumber.of(number), BUSINESS);
      ReentrantLock b = locks.lockFor(PhoneNumber.of(new String(number.toCharArray())),
          Originator.longCode(PhoneNumber.of("+14155550199")));
      assertThat(b).isSameAs(a);
    }
    Set<ReentrantLock> used = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < 10_000; i++) {
      used.add(locks.lockFor(PhoneNumber.of("+1415" + (2_000_000 + i)), BUSINESS));
    }
    assertThat(used).hasSize(256);
    // 200 customers spread about as well as at random (256 * (1 - e^(-200/256)) = 139 stripes expected)
    Set<ReentrantLock> few = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < 200; i++) {
      few.add(locks.lockFor(PhoneNumber.of("+1415" + (2_000_000 + i)), BUSINESS));
    }
    assertThat(few).hasSizeGreaterThan(120);
    assertThat(locks.lockFor(PhoneNumber.of("+12"), BUSINESS)).isSameAs(locks.lockFor(PhoneNumber.of("+12"), BUSINESS));
  }
}
