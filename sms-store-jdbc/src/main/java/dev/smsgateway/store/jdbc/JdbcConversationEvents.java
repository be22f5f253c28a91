package dev.smsgateway.store.jdbc;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEventBus;
import dev.smsgateway.events.ConversationEventListener;
import dev.smsgateway.events.ConversationEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConversationEvents} on a JDBC database shared by the instances of a deployment. On PostgreSQL each append
 * sends {@code NOTIFY sms_events} (payload: the stream name, nothing else) and every instance holds one connection that
 * {@code LISTEN}s and reads the rows it is told about, so events reach another instance within milliseconds; a poll
 * every {@link Builder#pollInterval} (default 30 s) is the safety net. On H2 there is no notification: other processes
 * sharing an H2 server see events by that polling only (default 1 s); publishes in this JVM wake its own subscriptions
 * at once.
 * <pre>{@code
 * JdbcConversationEvents events = JdbcConversationEvents.builder().dataSource(postgresDataSource).build();
 * events.subscribe(hostName, event -> desktops.push(event)).attach("alice");
 * }</pre>
 * Building migrates the schema like {@link JdbcStores} (tables {@code sms_event_stream}, {@code sms_event}, {@code sms_event_cursor}) and starts
 * a purge of events older than {@link Builder#retention} (default 7 days).
 *
 * <p>The listening connection is taken from the {@code DataSource} for the life of this object: a PostgreSQL
 * connection pooler in transaction mode (PgBouncer) does not carry {@code LISTEN}; give it a direct connection with
 * {@link Builder#listenDataSource}. The PostgreSQL JDBC driver must be on the class path.
 *
 * <p>Thread-safe. {@link #close()} stops the subscriptions, the listener and the purge.
 */
public final class JdbcConversationEvents implements ConversationEvents {

  private static final Logger log = LoggerFactory.getLogger(JdbcConversationEvents.class);

  private final Dialect dialect;
  private final ConversationEventBus bus;
  private final PostgresNotifications notifications;
  private final ScheduledExecutorService purger;
  private final Clock clock;
  private final Duration retention;

  private JdbcConversationEvents(Builder b) {
    this.dialect = detect(b.dataSource);
    if (b.migrate) {
      Schema.migrate(b.dataSource, dialect, b.clock);
    }
    this.clock = b.clock;
    this.retention = b.retention;
    Duration poll = b.pollInterval != null ? b.pollInterval
        : dialect == Dialect.POSTGRESQL ? Duration.ofSeconds(30) : Duration.ofSeconds(1);
    this.bus = ConversationEventBus.builder(new JdbcConversationEventLog(new Jdbc(b.dataSource, dialect)))
        .pollInterval(poll).clock(b.clock).claimLease(b.claimLease).build();
    if (dialect == Dialect.POSTGRESQL) {
      this.notifications = new PostgresNotifications(b.listenDataSource != null ? b.listenDataSource : b.dataSource,
          bus, b.name);
      notifications.start();
    } else {
      this.notifications = null;
    }
    if (b.purgeInterval.isZero()) {
      this.purger = null;
    } else {
      this.purger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sms-events-purge-" + b.name);
        t.setDaemon(true);
        return t;
      });
      long millis = b.purgeInterval.toMillis();
      purger.scheduleWithFixedDelay(this::scheduledPurge, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ConversationEvent publish(ConversationEvent event) {
    return bus.publish(event);
  }

  @Override
  public Subscription subscribe(String name, ConversationEventListener listener) {
    return bus.subscribe(name, listener);
  }

  @Override
  public List<ConversationEvent> read(String stream, long afterPosition, int limit) {
    return bus.read(stream, afterPosition, limit);
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    return bus.purgeBefore(cutoff);
  }

  /** Whether the PostgreSQL listener is connected now (false on H2, and while it reconnects). */
  public boolean listening() {
    return notifications != null && notifications.listening();
  }

  private void scheduledPurge() {
    try {
      int purged = bus.purgeBefore(clock.instant().minus(retention));
      if (purged > 0) {
        log.debug("conversation events: purged {} events older than {}", purged, retention);
      }
    } catch (RuntimeException e) {
      log.warn("conversation events: purge failed: {}", e.toString());   // the next run tries again
    }
  }

  @Override
  public void close() {
    if (purger != null) {
      purger.shutdownNow();
    }
    bus.close();
    if (notifications != null) {
      notifications.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcConversationEvents{dialect=" + dialect + ", listening=" + listening() + "}";
  }

  private static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Dialect.of(c.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw Jdbc.failure("connecting", e);
    }
  }

  /** Builds {@link JdbcConversationEvents}. Not thread-safe. */
  public static final class Builder {
    private DataSource dataSource;
    private DataSource listenDataSource;
    private String name = "jdbc";
    private Clock clock = Clock.systemUTC();
    private Duration pollInterval;
    private Duration retention = Duration.ofDays(7);
    private Duration purgeInterval = Duration.ofHours(1);
    private boolean migrate = true;
    private Duration claimLease = Duration.ofSeconds(30);

    private Builder() {}

    /** The shared database (PostgreSQL, or H2). Required. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource == null");
      return this;
    }

    /** Where the PostgreSQL {@code LISTEN} connection comes from, when not {@link #dataSource}. */
    public Builder listenDataSource(DataSource listenDataSource) {
      this.listenDataSource = Objects.requireNonNull(listenDataSource, "listenDataSource == null");
      return this;
    }

    /** Names this instance's threads (default "jdbc"). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /**
     * How long a subscription's claim on a stream's events holds without an acknowledgement (default 30 s): the
     * events an instance claimed and did not deliver before it died reach the agent's next instance this much later.
     * See {@link ConversationEventBus.Builder#claimLease}.
     */
    public Builder claimLease(Duration claimLease) {
      Objects.requireNonNull(claimLease, "claimLease == null");
      if (claimLease.isNegative() || claimLease.isZero()) {
        throw new dev.smsgateway.SmsValidationException("claimLease", "must be positive: " + claimLease);
      }
      this.claimLease = claimLease;
      return this;
    }

    /** The clock of claim leases, the retention purge and the migration history (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * How often each subscription reads all its streams besides notifications: default 30 s on PostgreSQL (a safety
     * net), 1 s on H2 (the only way to hear of another process's events); {@link Duration#ZERO} never.
     */
    public Builder pollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval == null");
      if (pollInterval.isNegative()) {
        throw new dev.smsgateway.SmsValidationException("pollInterval", "must not be negative: " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** Events older than this are purged (default 7 days); an instance down longer misses them. */
    public Builder retention(Duration retention) {
      Objects.requireNonNull(retention, "retention == null");
      if (retention.isNegative() || retention.isZero()) {
        throw new dev.smsgateway.SmsValidationException("retention", "must be positive: " + retention);
      }
      this.retention = retention;
      return this;
    }

    /** How often the retention purge runs (default 1 hour); {@link Duration#ZERO} never (call purgeBefore). */
    public Builder purgeInterval(Duration purgeInterval) {
      Objects.requireNonNull(purgeInterval, "purgeInterval == null");
      if (purgeInterval.isNegative()) {
        throw new dev.smsgateway.SmsValidationException("purgeInterval", "must not be negative: " + purgeInterval);
      }
      this.purgeInterval = purgeInterval;
      return this;
    }

    /** Whether building migrates the schema (default true); false needs a database already migrated. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * The events.
     *
     * @throws SmsConfigurationException if no data source was given or the database is neither H2 nor PostgreSQL
     */
    public JdbcConversationEvents build() {
      if (dataSource == null) {
        throw new SmsConfigurationException("JdbcConversationEvents needs a dataSource(..)");
      }
      return new JdbcConversationEvents(this);
    }
  }
}
