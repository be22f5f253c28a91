package dev.smsgateway.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a {@link ConversationEventBus}: its attached streams, the streams woken since the last read, and
 * the single thread that reads, claims and delivers them (so its listener sees one event at a time, in stream order).
 */
final class EventSubscription implements ConversationEvents.Subscription {

  private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);
  /** After the log failed (the database is down...), the next try comes this much later. */
  private static final long RETRY_MILLIS = 500;

  private final String name;
  private final ConversationEventLog eventLog;
  private final ConversationEventListener listener;
  private final int batchSize;
  private final Consumer<EventSubscription> onClose;
  private final Set<String> attached = ConcurrentHashMap.newKeySet();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ScheduledExecutorService thread;
  private volatile boolean closed;

  EventSubscription(String name, ConversationEventLog eventLog, ConversationEventListener listener, int batchSize,
      Duration pollInterval, Consumer<EventSubscription> onClose) {
    this.name = name;
    this.eventLog = eventLog;
    this.listener = listener;
    this.batchSize = batchSize;
    this.onClose = onClose;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sms-events-" + name);
      t.setDaemon(true);
      return t;
    });
    if (!pollInterval.isZero()) {
      long millis = Math.max(1, pollInterval.toMillis());
      thread.scheduleWithFixedDelay(this::wakeAll, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void attach(String stream) {
    Objects.requireNonNull(stream, "stream == null");
    if (closed) {
      throw new IllegalStateException("subscription " + name + " is closed");
    }
    if (attached.add(stream)) {
      wake(stream);
    }
  }

  @Override
  public void detach(String stream) {
    attached.remove(Objects.requireNonNull(stream, "stream == null"));
  }

  @Override
  public Set<String> streams() {
    return Set.copyOf(attached);
  }

  void wake(String stream) {
    if (attached.contains(stream)) {
      pending.add(stream);
      schedule(0);
    }
  }

  void wakeAll() {
    if (!attached.isEmpty()) {
      pending.addAll(attached);
      schedule(0);
    }
  }

  private void schedule(long delayMillis) {
    if (closed || !scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      scheduled.set(false);   // closing
    }
  }

  private void run() {
    scheduled.set(false);
    List<String> streams = new ArrayList<>(pending);
    for (String stream : streams) {
      if (closed) {
        return;
      }
      pending.remove(stream);
      try {
        drain(stream);
      } catch (RuntimeException e) {
        // The log is unreachable (database down...): nothing was claimed past what was delivered; try again later.
        log.warn("event subscription {}: reading stream failed, retrying in {} ms: {}", name, RETRY_MILLIS,
            e.toString());
        pending.add(stream);
        schedule(RETRY_MILLIS);
        return;
      }
    }
  }

  /**
   * Delivers every event of {@code stream} after its cursor that this subscription manages to claim. A read batch is
   * claimed at once (one conditional write moves the cursor past all of it), then delivered: a lost claim means
   * another instance delivers that batch, and this one reads the cursor again.
   */
  private void drain(String stream) {
    while (!closed && attached.contains(stream)) {
      long cursor = eventLog.cursor(stream);
      List<ConversationEvent> events = eventLog.readAfter(stream, cursor, batchSize);
      if (events.isEmpty()) {
        return;
      }
      if (closed || !attached.contains(stream)) {
        return;
      }
      if (!eventLog.advanceCursor(stream, cursor, events.get(events.size() - 1).position())) {
        continue;   // another instance claimed them first
      }
      for (ConversationEvent event : events) {
        deliver(event);
      }
    }
  }

  private void deliver(ConversationEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("event listener of subscription {} failed on {}; ignored", name, event, e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    attached.clear();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "Subscription{name=" + name + ", streams=" + attached.size() + "}";
  }
}
