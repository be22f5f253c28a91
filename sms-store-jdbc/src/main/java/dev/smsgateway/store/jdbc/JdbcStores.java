package dev.smsgateway.store.jdbc;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable stores on one JDBC database: H2 in file mode (the embedded default) or PostgreSQL (several gateway
 * instances sharing state). Building it migrates the schema to this release's version (a small history table of our
 * own; two instances starting together on one database take turns) and starts a periodic purge of expired rows.
 *
 * <pre>{@code
 * // embedded, one process
 * JdbcStores stores = JdbcStores.h2File(Path.of("data"));
 *
 * // shared by several instances: the application's own pooled DataSource
 * JdbcStores stores = JdbcStores.builder().dataSource(postgresDataSource).build();
 *
 * SmsGateway gateway = SmsGateway.builder()
 *     .provider(provider)
 *     .optOutStore(stores.optOutStore())
 *     .messageStore(stores.messageStore())
 *     .build();
 * }</pre>
 *
 * <p>Every write is committed when the method returns. TTLs are enforced on read with the configured clock, so an
 * expired row is never served whether or not the purge has deleted it yet.
 *
 * <p>Thread-safe. {@link #close()} stops the purge and closes the H2 pool this class opened, never a
 * {@code DataSource} the application supplied.
 */
public final class JdbcStores implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JdbcStores.class);

  private final Dialect dialect;
  private final int schemaVersion;
  private final JdbcOriginatorStore originators;
  private final JdbcOptOutStore optOuts;
  private final JdbcMessageStore messages;
  private final Jdbc jdbc;
  private final JdbcConversationStore conversations;
  private final JdbcAgentStore agents;
  private final JdbcComplianceStores compliance; // consent, held messages, audit
  private final H2Files.Pool ownedPool;
  private final ScheduledExecutorService ownedScheduler;
  private final ScheduledFuture<?> purgeTask;
  private volatile boolean closed;

  private JdbcStores(Builder b, DataSource dataSource, H2Files.Pool ownedPool) {
    this.ownedPool = ownedPool;
    this.dialect = detect(dataSource);
    if (b.migrate) {
      Schema.migrate(dataSource, dialect, b.clock);
    }
    this.schemaVersion = readSchemaVersion(dataSource);
    if (schemaVersion < Schema.latestVersion()) {
      throw new SmsConfigurationException("JDBC store schema is at version " + schemaVersion + ", this release needs "
          + Schema.latestVersion() + ": build once with migrate(true) (the default) as a user allowed to change the"
          + " schema");
    }
    Jdbc jdbc = new Jdbc(dataSource, dialect);
    this.jdbc = jdbc;
    this.originators = new JdbcOriginatorStore(jdbc, b.clock);
    this.optOuts = new JdbcOptOutStore(jdbc);
    this.messages = new JdbcMessageStore(jdbc, b.clock);
    this.conversations = new JdbcConversationStore(jdbc);
    this.agents = new JdbcAgentStore(jdbc);
    this.compliance = new JdbcComplianceStores(jdbc);
    if (b.purgeInterval.isZero()) {
      this.ownedScheduler = null;
      this.purgeTask = null;
    } else {
      this.ownedScheduler = b.scheduler == null ? newScheduler() : null;
      ScheduledExecutorService scheduler = b.scheduler != null ? b.scheduler : ownedScheduler;
      long millis = b.purgeInterval.toMillis();
      this.purgeTask = scheduler.scheduleWithFixedDelay(this::scheduledPurge, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Stores in the H2 database file {@code sms-gateway.mv.db} under {@code directory} (created if needed), with the
   * defaults. H2 must be on the class path ({@code com.h2database:h2}); one process at a time can open the file.
   */
  public static JdbcStores h2File(Path directory) {
    return builder().h2File(directory).build();
  }

  /** The originator store. */
  public OriginatorStore originatorStore() {
    return originators;
  }

  /** The opt-out store. */
  public OptOutStore optOutStore() {
    return optOuts;
  }

  /** The message store. */
  public MessageStore messageStore() {
    return messages;
  }

  /** The conversation store. */
  public ConversationStore conversationStore() {
    return conversations;
  }

  /**
   * The agent store: agents, their load and pending offers, shared by every instance on this database (give it to
   * each instance's {@code ConversationService.Builder.agentStore}).
   */
  public AgentStore agentStore() {
    return agents;
  }

  // ---- compliance stores (begin) ----
  /** The consent records. */
  public dev.smsgateway.compliance.ConsentStore consentStore() {
    return compliance.consents;
  }

  /** The messages held for quiet hours, next to the message records. */
  public dev.smsgateway.compliance.HeldMessageStore heldMessageStore() {
    return compliance.held;
  }

  /** The audit trail. */
  public dev.smsgateway.compliance.AuditLog auditLog() {
    return compliance.audit;
  }
  /** Retention of conversations (with transcripts) and message records, for the compliance engine. */
  public dev.smsgateway.compliance.RetentionStore retentionStore() {
    return compliance.retention;
  }
  // ---- compliance stores (end) ----

  /** The schema version of the database. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** Deletes expired originator records, idempotency claims, seen marks and parked reports now; returns how many. */
  public int purgeExpired() {
    return originators.purgeExpired() + messages.purgeExpired();
  }

  private void scheduledPurge() {
    if (closed) {
      return;
    }
    try {
      int purged = purgeExpired();
      if (purged > 0) {
        log.debug("JDBC stores purged {} expired rows", purged);
      }
    } catch (RuntimeException e) {
      // Contained: the next run tries again, and reads enforce TTLs meanwhile.
      log.warn("JDBC stores purge failed: {}", e.toString());
    }
  }

  /** Stops the purge and closes the H2 pool this instance opened. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (purgeTask != null) {
      purgeTask.cancel(false);
    }
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
    messages.close();
    jdbc.close();
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcStores{dialect=" + dialect + ", schemaVersion=" + schemaVersion + "}";
  }

  private static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Dialect.of(c.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw Jdbc.failure("connecting", e);
    }
  }

  private static int readSchemaVersion(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Schema.hasHistory(c) ? Schema.currentVersion(c) : 0;
    } catch (SQLException e) {
      throw Jdbc.failure("reading the schema version", e);
    }
  }

  private static ScheduledExecutorService newScheduler() {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sms-jdbc-store-purge");
      t.setDaemon(true);
      return t;
    });
  }

  /** Builds {@link JdbcStores}. Not thread-safe. */
  public static final class Builder {
    private DataSource dataSource;
    private Path h2Directory;
    private Clock clock = Clock.systemUTC();
    private Duration purgeInterval = Duration.ofMinutes(1);
    private ScheduledExecutorService scheduler;
    private boolean migrate = true;

    private Builder() {}

    /**
     * The database, as the application's own (preferably pooled) {@code DataSource}: PostgreSQL 12+ or H2 2.x.
     * Exactly one of this and {@link #h2File} is required.
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource == null");
      return this;
    }

    /** An H2 database file in {@code directory}, with a small pool that {@link JdbcStores#close()} closes. */
    public Builder h2File(Path directory) {
      this.h2Directory = Objects.requireNonNull(directory, "directory == null");
      return this;
    }

    /** The clock for TTLs on read and for purges. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How often expired rows are deleted. Default 1 minute; {@link Duration#ZERO} turns the purge off. */
    public Builder purgeInterval(Duration purgeInterval) {
      Objects.requireNonNull(purgeInterval, "purgeInterval == null");
      if (purgeInterval.isNegative()) {
        throw new dev.smsgateway.SmsValidationException("purgeInterval", "must not be negative: " + purgeInterval);
      }
      this.purgeInterval = purgeInterval;
      return this;
    }

    /** Runs the purge on the application's scheduler instead of a daemon thread of our own. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
      return this;
    }

    /**
     * Whether building migrates the schema. Default true. Turn it off where the application's database user may not
     * change the schema; building then fails unless the schema is already current.
     */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Connects, migrates and starts the purge.
     *
     * @throws SmsConfigurationException if no database, or both, were given, or the database is neither H2 nor
     *     PostgreSQL
     * @throws dev.smsgateway.SmsTransportException if the database cannot be reached
     */
    public JdbcStores build() {
      if ((dataSource == null) == (h2Directory == null)) {
        throw new SmsConfigurationException("JdbcStores needs exactly one of dataSource(..) and h2File(..)");
      }
      if (dataSource != null) {
        return new JdbcStores(this, dataSource, null);
      }
      try {
        java.nio.file.Files.createDirectories(h2Directory);
      } catch (java.io.IOException e) {
        throw new SmsConfigurationException("cannot create the H2 directory " + h2Directory + ": " + e.getMessage());
      }
      H2Files.Pool pool = H2Files.open(h2Directory);
      try {
        return new JdbcStores(this, pool.dataSource(), pool);
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
    }
  }
}
