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
 *
 * <p>A batch is claimed for a lease under this subscription's own id (its name plus a random part, new with every
 * start of the JVM), and each event is acknowledged right after its listener call, which renews the lease. If the
 * JVM dies between the claim and an acknowledgement, the events it did not acknowledge are delivered by the next
 * subscription of the stream once the lease has passed: none is lost, and only the event whose listener call was
 * running when the JVM died can be delivered twice.
 */
final class EventSubscription implements ConversationEvents.Subscription {

  private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);
  /** After the log failed (the database is down...), the next try comes this much later. */
  private static final long RETRY_MILLIS = 500;
  /** How often a stream whose events another subscription has claimed is looked at again, at most. */
  private static final long CLAIMED_RETRY_MILLIS = 1000;

  private final String name;
  private final ConversationEventLog eventLog;
  private final ConversationEventListener listener;
  private final int batchSize;
  private final java.time.Clock clock;
  private final Duration lease;
  private final String owner;
  private final Consumer<EventSubscription> onClose;
  // Streams whose last delivered event could not be acknowledged (the log failed): acknowledged before reading again.
  private final java.util.Map<String, Long> unacknowledged = new ConcurrentHashMap<>();
  // Streams waiting for another subscription's claim to be acknowledged or to lapse.
  private final Set<String> waitingForClaim = ConcurrentHashMap.newKeySet();
  private final Set<String> attached = ConcurrentHashMap.newKeySet();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ScheduledExecutorService thread;
  private volatile boolean closed;

  EventSubscription(String name, ConversationEventLog eventLog, ConversationEventListener listener, int batchSize,
      Duration pollInterval, java.time.Clock clock, Duration lease, Consumer<EventSubscription> onClose) {
    this.name = name;
    this.eventLog = eventLog;
    this.listener = listener;
    this.batchSize = batchSize;
    this.clock = clock;
    this.lease = lease;
    this.owner = name + "#" + java.util.UUID.randomUUID();
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
   * claimed at once (one conditional write covers all of it, for the lease), then delivered, each event acknowledged
   * after its listener call: a lost claim means another instance delivers that batch, and this one reads the cursor
   * again; a claim another live subscription holds is looked at again when it may have lapsed.
   */
  private void drain(String stream) {
    Long pendingAck = unacknowledged.get(stream);
    if (pendingAck != null) {
      eventLog.acknowledge(stream, owner, pendingAck, clock.instant().plus(lease));
      unacknowledged.remove(stream);
    }
    while (!closed && attached.contains(stream)) {
      java.time.Instant now = clock.instant();
      EventCursor cursor = eventLog.cursor(stream);
      if (cursor.claimedByAnother(owner, now)) {
        retryWhenClaimMayLapse(stream, cursor.leaseUntil(), now);
        return;
      }
      List<ConversationEvent> events = eventLog.readAfter(stream, cursor.delivered(), batchSize);
      if (events.isEmpty()) {
        return;
      }
      if (closed || !attached.contains(stream)) {
        return;
      }
      long through = events.get(events.size() - 1).position();
      if (!eventLog.claim(stream, cursor.delivered(), through, owner, now, now.plus(lease))) {
        continue;   // another instance claimed them first, or delivered some meanwhile
      }
      for (ConversationEvent event : events) {
        deliver(event);
        boolean stillOurs;
        try {
          stillOurs = eventLog.acknowledge(stream, owner, event.position(), clock.instant().plus(lease));
        } catch (RuntimeException e) {
          unacknowledged.put(stream, event.position());   // delivered: acknowledged on the next try, not repeated
          throw e;
        }
        if (!stillOurs) {
          log.warn("event subscription {}: its claim on a stream lapsed while delivering (a listener slower than the "
              + "lease of {}); the rest of the batch goes to the subscription that claimed it", name, lease);
          break;
        }
      }
    }
  }

  private void retryWhenClaimMayLapse(String stream, java.time.Instant leaseUntil, java.time.Instant now) {
    if (!waitingForClaim.add(stream)) {
      return;
    }
    long millis = Math.max(1, Math.min(CLAIMED_RETRY_MILLIS, java.time.Duration.between(now, leaseUntil).toMillis()));
    try {
      thread.schedule(() -> {
        waitingForClaim.remove(stream);
        wake(stream);
      }, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      waitingForClaim.remove(stream);   // closing
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
