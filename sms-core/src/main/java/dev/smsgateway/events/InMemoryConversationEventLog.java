package dev.smsgateway.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link ConversationEventLog} in this JVM's memory: the log of {@link ConversationEventBus#inMemory()}, for one
 * process (tests, the embedded default). Events live until {@link #purgeBefore}. Several buses in one JVM over one
 * log (a test of several "instances") hear of each other's publishes through {@link #onAppend}, this log's
 * counterpart of PostgreSQL's {@code NOTIFY}.
 *
 * <p>Thread-safe: each stream is guarded by its own lock.
 */
public final class InMemoryConversationEventLog implements ConversationEventLog {

  private static final class Stream {
    final List<ConversationEvent> events = new ArrayList<>();
    long last;
    long delivered;
    String owner;
    long claimedThrough;
    Instant leaseUntil;
  }

  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final List<Consumer<ConversationEvent>> appendListeners = new CopyOnWriteArrayList<>();

  /**
   * Calls {@code listener} after each append, on the appending thread (typically {@code bus::wake} of another bus on
   * this log); it must be fast and not throw. Closing the returned handle removes it.
   */
  public AutoCloseable onAppend(Consumer<ConversationEvent> listener) {
    Objects.requireNonNull(listener, "listener == null");
    appendListeners.add(listener);
    return () -> appendListeners.remove(listener);
  }

  private Stream stream(String name) {
    return streams.computeIfAbsent(Objects.requireNonNull(name, "stream == null"), n -> new Stream());
  }

  @Override
  public ConversationEvent append(ConversationEvent event) {
    Objects.requireNonNull(event, "event == null");
    if (event.position() != 0) {
      throw new IllegalArgumentException("event is already published at position " + event.position());
    }
    Stream s = stream(event.stream());
    ConversationEvent stored;
    synchronized (s) {
      stored = event.withPosition(++s.last);
      s.events.add(stored);
    }
    for (Consumer<ConversationEvent> listener : appendListeners) {
      listener.accept(stored);
    }
    return stored;
  }

  @Override
  public List<ConversationEvent> readAfter(String stream, long afterPosition, int limit) {
    Stream s = streams.get(Objects.requireNonNull(stream, "stream == null"));
    if (s == null) {
      return List.of();
    }
    synchronized (s) {
      List<ConversationEvent> out = new ArrayList<>(Math.min(limit, 64));
      for (ConversationEvent e : s.events) {   // purges keep the list short; a binary search is not worth it here
        if (e.position() > afterPosition) {
          out.add(e);
          if (out.size() == limit) {
            break;
          }
        }
      }
      return out;
    }
  }

  @Override
  public EventCursor cursor(String stream) {
    Stream s = streams.get(Objects.requireNonNull(stream, "stream == null"));
    if (s == null) {
      return EventCursor.NONE;
    }
    synchronized (s) {
      return new EventCursor(s.delivered, s.owner, s.owner == null ? 0 : s.claimedThrough, s.leaseUntil);
    }
  }

  @Override
  public boolean claim(String stream, long delivered, long through, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    Stream s = stream(stream);
    synchronized (s) {
      if (s.delivered != delivered || through <= delivered
          || (s.owner != null && !s.owner.equals(owner) && s.leaseUntil.isAfter(now))) {
        return false;
      }
      s.owner = owner;
      s.claimedThrough = through;
      s.leaseUntil = leaseUntil;
      return true;
    }
  }

  @Override
  public boolean acknowledge(String stream, String owner, long delivered, Instant leaseUntil) {
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    Stream s = stream(stream);
    synchronized (s) {
      if (!owner.equals(s.owner)) {
        return false;
      }
      s.delivered = Math.max(s.delivered, delivered);
      if (s.delivered >= s.claimedThrough) {
        s.owner = null;
        s.claimedThrough = 0;
        s.leaseUntil = null;
      } else {
        s.leaseUntil = leaseUntil;
      }
      return true;
    }
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    int purged = 0;
    for (Stream s : streams.values()) {
      synchronized (s) {
        int before = s.events.size();
        s.events.removeIf(e -> e.at().isBefore(cutoff));
        purged += before - s.events.size();
      }
    }
    return purged;
  }

  @Override
  public String toString() {
    return "InMemoryConversationEventLog{streams=" + streams.size() + "}";
  }
}
