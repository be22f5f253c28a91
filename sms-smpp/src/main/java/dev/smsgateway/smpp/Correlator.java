package dev.smsgateway.smpp;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers which of our messages (and which part) each SMSC message id belongs to, so that a delivery receipt can be
 * reported with our message id and with the id in the same form {@code submit_sm_resp} gave it. SMSCs often answer
 * the submit with a hex id and put the same number in decimal into the receipt (or the reverse), with or without
 * leading zeros: ids are stored once, without leading zeros and in lower case, and a receipt id that is not found
 * as it is is looked up again converted to the other radix. The conversion cost is paid per receipt, not per submit.
 *
 * <p>A receipt may overtake its {@code submit_sm_resp}; {@link #await} lets the receipt wait, bounded, for the
 * response that is still in flight.
 *
 * <p>Thread-safe. Bounded: the oldest ids are forgotten past {@code capacity}.
 */
final class Correlator {

  /** What a provider id stands for. */
  record Target(String providerMessageId, String messageId, int part) {}

  private final int capacity;
  private final Map<String, Target> byKey = new ConcurrentHashMap<>();
  private final Queue<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Object monitor = new Object();
  private volatile int waiters;

  Correlator(int capacity) {
    this.capacity = capacity;
  }

  /** Records a part's id as {@code submit_sm_resp} returned it. */
  void put(String providerMessageId, String messageId, int part) {
    String key = key(providerMessageId);
    if (byKey.put(key, new Target(providerMessageId, messageId, part)) == null) {
      order.add(key);
      if (size.incrementAndGet() > capacity) {
        String eldest = order.poll();
        if (eldest != null) {
          byKey.remove(eldest);
          size.decrementAndGet();
        }
      }
    }
    if (waiters > 0) {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }

  /** Finds the target of a receipt id, trying the exact form, then the other radix. */
  Target find(String receiptId) {
    String k = key(receiptId);
    Target t = byKey.get(k);
    if (t != null) {
      return t;
    }
    if (isDecimal(k)) {
      // the receipt is in decimal, the submit answered in hex
      t = byKey.get(strip(new BigInteger(k).toString(16)));
    }
    if (t == null && isHex(k)) {
      // the receipt is in hex, the submit answered in decimal
      t = byKey.get(new BigInteger(k, 16).toString());
    }
    return t;
  }

  /** Like {@link #find}, but waits up to {@code millis} for the id to be put (a receipt before its response). */
  Target await(String receiptId, long millis) throws InterruptedException {
    Target t = find(receiptId);
    if (t != null || millis <= 0) {
      return t;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (monitor) {
      waiters++;
      try {
        while ((t = find(receiptId)) == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          TimeUnit.NANOSECONDS.timedWait(monitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        return t;
      } finally {
        waiters--;
      }
    }
  }

  int size() {
    return size.get();
  }

  private static String key(String id) {
    return strip(id.strip().toLowerCase(Locale.ROOT));
  }

  private static String strip(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return i == 0 ? s : s.substring(i);
  }

  static boolean isDecimal(String s) {
    if (s.isEmpty() || s.length() > 40) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  static boolean isHex(String s) {
    if (s.isEmpty() || s.length() > 32) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
