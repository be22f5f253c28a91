package dev.smsgateway.smpp;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Remembers which of our messages (and which part) each SMSC message id belongs to, so that a delivery receipt can be
 * reported with our message id and with the id in the same form {@code submit_sm_resp} gave it. SMSCs often answer
 * the submit with a hex id and put the same number in decimal into the receipt (or the reverse), with or without
 * leading zeros: each id is stored under its exact form and its other-radix aliases.
 *
 * <p>A receipt may overtake its {@code submit_sm_resp}; {@link #await} lets the receipt wait, bounded, for the
 * response that is still in flight.
 *
 * <p>Thread-safe. Bounded: the oldest ids are forgotten past {@code capacity}.
 */
final class Correlator {

  /** What a provider id stands for. */
  record Target(String providerMessageId, String messageId, int part) {}

  private final Map<String, Target> byKey;
  private int waiters;

  Correlator(int capacity) {
    this.byKey = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Target> eldest) {
        return size() > capacity * 3;
      }
    };
  }

  /** Records a part's id as {@code submit_sm_resp} returned it. */
  void put(String providerMessageId, String messageId, int part) {
    Target t = new Target(providerMessageId, messageId, part);
    synchronized (this) {
      byKey.put("x:" + exact(providerMessageId), t);
      String lower = exact(providerMessageId);
      if (isDecimal(lower)) {
        byKey.put("hexof:" + strip(new BigInteger(lower).toString(16)), t);
      }
      if (isHex(lower) && lower.length() <= 32) {
        byKey.put("decof:" + strip(new BigInteger(lower, 16).toString()), t);
      }
      if (waiters > 0) {
        notifyAll();
      }
    }
  }

  /** Finds the target of a receipt id, trying the exact form, then the other radix. */
  synchronized Target find(String receiptId) {
    String lower = exact(receiptId);
    Target t = byKey.get("x:" + lower);
    if (t == null) {
      t = byKey.get("x:" + strip(lower));
    }
    if (t == null && isDecimal(lower)) {
      // the receipt is in decimal, the submit answered in hex
      t = byKey.get("decof:" + strip(lower));
    }
    if (t == null && isHex(lower)) {
      // the receipt is in hex, the submit answered in decimal
      t = byKey.get("hexof:" + strip(lower));
    }
    return t;
  }

  /** Like {@link #find}, but waits up to {@code millis} for the id to be put (a receipt before its response). */
  Target await(String receiptId, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (this) {
      Target t = find(receiptId);
      if (t != null || millis <= 0) {
        return t;
      }
      waiters++;
      try {
        while (t == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
          t = find(receiptId);
        }
        return t;
      } finally {
        waiters--;
      }
    }
  }

  synchronized int size() {
    return byKey.size();
  }

  private static String exact(String id) {
    return id.strip().toLowerCase(Locale.ROOT);
  }

  private static String strip(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
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
    if (s.isEmpty() || s.length() > 40) {
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
