package dev.smsgateway.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link ConversationEvents} over a {@link ConversationEventLog}: the delivery rules every engine shares. A
 * subscription delivers a stream by reading a batch of its log after the stream's cursor, claiming the batch for a
 * lease with one {@link ConversationEventLog#claim} and only then calling the listener, acknowledging each event after
 * its call ({@link ConversationEventLog#acknowledge}), so an event reaches one listener once even when two instances
 * race for it, and the events of an instance that died holding a claim reach the next one after the lease. It reads when woken: by a publish in this JVM, by {@link #wake} (a notifier
 * that heard of another instance's publish: PostgreSQL {@code NOTIFY}, a DynamoDB stream record), on
 * {@link Subscription#attach} (the catch-up), and every poll interval (a safety net for missed notifications, and the
 * only wake-up on engines without notifications).
 *
 * <p>Thread-safe. Each subscription has one daemon delivery thread.
 */
public final class ConversationEventBus implements ConversationEvents {

  private final ConversationEventLog log;
  private final Duration pollInterval;
  private final int batchSize;
  private final java.time.Clock clock;
  private final Duration claimLease;
  private final List<EventSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private ConversationEventBus(Builder b) {
    this.log = b.log;
    this.pollInterval = b.pollInterval;
    this.batchSize = b.batchSize;
    this.clock = b.clock;
    this.claimLease = b.claimLease;
  }

  /** A bus for one JVM on a fresh {@link InMemoryConversationEventLog}: publishes wake subscriptions directly. */
  public static ConversationEventBus inMemory() {
    return builder(new InMemoryConversationEventLog()).build();
  }

  /** A builder over {@code log}. */
  public static Builder builder(ConversationEventLog log) {
    return new Builder(log);
  }

  /** The log this bus reads and writes. */
  public ConversationEventLog log() {
    return log;
  }

  @Override
  public ConversationEvent publish(ConversationEvent event) {
    Objects.requireNonNull(event, "event == null");
    ConversationEvent stored = log.append(event);
    wake(stored.stream());
    return stored;
  }

  @Override
  public Subscription subscribe(String name, ConversationEventListener listener) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(listener, "listener == null");
    if (closed) {
      throw new IllegalStateException("the event bus is closed");
    }
    EventSubscription s = new EventSubscription(name, log, listener, batchSize, pollInterval, clock, claimLease,
        subscriptions::remove);
    subscriptions.add(s);
    return s;
  }

  /** Some event of {@code stream} was appended (maybe by another instance): the subscription holding it reads. */
  public void wake(String stream) {
    for (EventSubscription s : subscriptions) {
      s.wake(stream);
    }
  }

  /** Every subscription reads all its streams (after a notifier reconnected and may have missed notifications). */
  public void wakeAll() {
    for (EventSubscription s : subscriptions) {
      s.wakeAll();
    }
  }

  @Override
  public List<ConversationEvent> read(String stream, long afterPosition, int limit) {
    Objects.requireNonNull(stream, "stream == null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    return log.readAfter(stream, afterPosition, limit);
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    return log.purgeBefore(Objects.requireNonNull(cutoff, "cutoff == null"));
  }

  @Override
  public void close() {
    closed = true;
    for (EventSubscription s : subscriptions) {
      s.close();
    }
  }

  @Override
  public String toString() {
    return "ConversationEventBus{log=" + log + ", subscriptions=" + subscriptions.size() + ", pollInterval="
        + pollInterval + "}";
  }

  /** Builds a {@link ConversationEventBus}. Not thread-safe. */
  public static final class Builder {
    private final ConversationEventLog log;
    private Duration pollInterval = Duration.ZERO;
    private int batchSize = 100;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private Duration claimLease = Duration.ofSeconds(30);

    private Builder(ConversationEventLog log) {
      this.log = Objects.requireNonNull(log, "log == null");
    }

    /**
     * How often each subscription reads all its streams whether woken or not; {@link Duration#ZERO} (the default)
     * never: right for one JVM, where every publish wakes the subscriptions directly.
     */
    public Builder pollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval == null");
      if (pollInterval.isNegative()) {
        throw new IllegalArgumentException("pollInterval must not be negative: " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** How many events one read of the log returns (default 100). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The clock of claim leases (default UTC system clock); every instance of a deployment should agree on time. */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * How long a subscription's claim on a batch of a stream's events holds without an acknowledgement (default 30
     * s; each event delivered renews it). When an instance dies between claiming and delivering, the events it did
     * not acknowledge reach the stream's next subscription this much later. Longer than any listener call can take:
     * a listener slower than the lease lets another instance deliver the rest of the batch too.
     */
    public Builder claimLease(Duration claimLease) {
      Objects.requireNonNull(claimLease, "claimLease == null");
      if (claimLease.isNegative() || claimLease.isZero()) {
        throw new IllegalArgumentException("claimLease must be positive: " + claimLease);
      }
      this.claimLease = claimLease;
      return this;
    }

    /** The bus. */
    public ConversationEventBus build() {
      return new ConversationEventBus(this);
    }
  }
}
