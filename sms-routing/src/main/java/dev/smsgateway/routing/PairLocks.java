package dev.smsgateway.routing;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The striped locks that route one (customer, business number) pair at a time: equal pairs always get the same lock.
 * Thread-safe.
 */
final class PairLocks {

  // A routing decision holds its pair's lock across its store calls (it reads and writes the conversation under it):
  // with many more stripes than the threads that route (a provider's few inbound workers), two pairs seldom wait for
  // each other; 256 locks stay small enough to be cached.
  private static final int BITS = 8;
  private static final int STRIPES = 1 << BITS;

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  PairLocks() {
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * The lock of ({@code customer}, {@code business}). The customer part hashes the number's last four characters
   * (E.164 has at least three), where numbers differ, rather than its {@code hashCode}: a number a provider has just
   * parsed is a new string, whose hash would be computed over all of it for this alone.
   */
  ReentrantLock lockFor(PhoneNumber customer, Originator business) {
    String e164 = customer.e164();
    int h = 0;
    for (int i = Math.max(0, e164.length() - 4); i < e164.length(); i++) {
      h = 31 * h + e164.charAt(i);
    }
    h = h * 31 + business.key().hashCode();
    return locks[(h * 0x9E3779B9) >>> (32 - BITS)]; // Fibonacci hashing: the top bits of the product spread best
  }
}
