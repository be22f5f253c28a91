package dev.smsgateway.eum;

import dev.smsgateway.store.MessageStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers SNS MessageIds already processed. Either the gateway's {@link MessageStore} (shared across instances) or
 * a bounded in-memory map for a single instance.
 *
 * <p>Implementations are thread-safe.
 */
interface SeenMessages {

  /** True only for the first caller while the mark lives. */
  boolean markSeen(String key, Instant expiresAt);

  /** Forgets a mark, so that SNS's redelivery of a message that failed to process is processed. */
  void unmarkSeen(String key);

  static SeenMessages of(MessageStore store) {
    return new SeenMessages() {
      @Override
      public boolean markSeen(String key, Instant expiresAt) {
        return store.markSeen(key, expiresAt);
      }

      @Override
      public void unmarkSeen(String key) {
        store.unmarkSeen(key);
      }
    };
  }

  /** An in-memory set of at most {@code capacity} live marks; when full, expired marks are purged first. */
  static SeenMessages inMemory(Clock clock, int capacity) {
    return new InMemory(clock, capacity);
  }

  /** See {@link #inMemory}. */
  final class InMemory implements SeenMessages {
    private final Clock clock;
    private final int capacity;
    private final Map<String, Instant> marks = new ConcurrentHashMap<>();

    InMemory(Clock clock, int capacity) {
      this.clock = clock;
      this.capacity = capacity;
    }

    @Override
    public boolean markSeen(String key, Instant expiresAt) {
      Instant now = clock.instant();
      if (marks.size() >= capacity) {
        marks.entrySet().removeIf(e -> !e.getValue().isAfter(now));
        // Still full of live marks: drop arbitrary ones rather than grow without bound. A message whose mark was
        // dropped is rejected anyway once older than the replay window.
        Iterator<String> it = marks.keySet().iterator();
        while (marks.size() >= capacity && it.hasNext()) {
          it.next();
          it.remove();
        }
      }
      boolean[] first = {false};
      marks.compute(key, (k, old) -> {
        if (old == null || !old.isAfter(now)) {
          first[0] = true;
          return expiresAt;
        }
        return old;
      });
      return first[0];
    }

    @Override
    public void unmarkSeen(String key) {
      marks.remove(key);
    }
  }
}
