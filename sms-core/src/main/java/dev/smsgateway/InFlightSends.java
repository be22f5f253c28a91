package dev.smsgateway;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sends accepted and not yet finished, by our message id: so that a report that overtakes its send's end is held
 * for it, and so that close() can wait for them (bounded) and then fail what never left. While any is in flight, one
 * non-daemon thread keeps the JVM running ({@link PendingSends}).
 */
final class InFlightSends {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);

  private final Map<String, Send> sends = new ConcurrentHashMap<>();
  private final PendingSends pending = new PendingSends("sms-gateway-pending-sends");

  void add(Send send) {
    sends.put(send.messageId, send);
    pending.add();
  }

  Send get(String messageId) {
    return sends.get(messageId);
  }

  /** Forgets {@code send} (once: a second call for the same send does nothing). */
  void remove(Send send) {
    if (sends.remove(send.messageId, send)) {
      pending.remove();
    }
  }

  Collection<Send> snapshot() {
    return List.copyOf(sends.values());
  }

  int size() {
    return sends.size();
  }

  /** Waits, bounded by {@code timeout}, until no accepted send is still waiting for its outcome. */
  void drain(Duration timeout) {
    if (timeout.isZero() || !anyUnfinished()) {
      return;
    }
    log.info("closing: waiting up to {} ms for {} send(s) in progress", timeout.toMillis(), pending.count());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (anyUnfinished()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("closing: {} send(s) did not finish within {} ms; they fail now", pending.count(),
              timeout.toMillis());
          return;
        }
        // woken when a send ends; re-checked now and then, since a listener calling close() holds its own send
        pending.awaitEnd(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether an accepted send has no outcome yet (a send whose onSent/onFailed is being announced has one). */
  private boolean anyUnfinished() {
    for (Send send : sends.values()) {
      if (!send.done.get()) {
        return true;
      }
    }
    return false;
  }
}
