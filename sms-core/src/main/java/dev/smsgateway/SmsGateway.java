package dev.smsgateway;

import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Past 600 lines only by its public Builder (~280 lines, one documented setting each); the work itself lives in
// SendAcceptor, SendPipeline, ReportCorrelator, InboundIntake, InFlightSends, HeldSends and GatewayListeners.
/**
 * The facade an application holds: it normalizes numbers, checks opt-outs (when a send is accepted and again right
 * before it goes to the provider), plans parts, throttles each sending number and each provider in parts per second,
 * retries what is retryable, de-duplicates by idempotency key, fails over to a secondary provider, correlates
 * delivery reports and fans events out to {@link GatewayListener}s.
 *
 * <pre>{@code
 * SmsGateway gateway = SmsGateway.builder()
 *     .provider(smpp)
 *     .defaultRegion("US")
 *     .build();
 * gateway.start();
 * gateway.send(OutboundSms.builder().to("(415) 555-0100").body("Hello").build())
 *     .thenAccept(receipt -> log.info("sent as {}", receipt.messageId()));
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} before the first send (a send before it fails at once); {@link #close()} at the end
 * waits, bounded, for the sends in progress. While any accepted send is in progress, one non-daemon thread keeps the
 * JVM running, so a program that sends and returns from {@code main} still gets its message out (or its failure
 * reported); every other thread of the library is a daemon.
 *
 * <p>Thread-safe.
 */
public final class SmsGateway implements AutoCloseable {

  // The facade: the public API, the lifecycle and the builder. The work is done by package-private parts of one job
  // each: SendAcceptor (checks, idempotency, the accepted record), SendPipeline (throttles, provider call, retries,
  // failover, onSent/onFailed), ReportCorrelator (delivery reports), InboundIntake (inbound de-duplication),
  // InFlightSends (what close() waits for) and GatewayListeners (the fan-out).

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  private final Map<String, SmsProvider> providers;
  private final String defaultRegion;
  private final NumberCheck numberCheck;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final java.util.concurrent.ExecutorService ownedCallbacks;
  // where callbacks run: the application's executor, or ownedCallbacks; never dropping a task (see neverDropping)
  private final java.util.concurrent.Executor callbacks;
  private final MessageStore messageStore;
  private final GatewayListeners listeners;
  private final InFlightSends inFlight = new InFlightSends();
  private final SendAcceptor acceptor;
  private final SendPipeline pipeline;
  private final ReportCorrelator reports;
  private final InboundIntake inbound;
  private final AtomicBoolean started = new AtomicBoolean();
  private final Duration closeTimeout;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile ScheduledFuture<?> purgeTask;
  private final HeldSends held; // null without a compliance engine
  private volatile ScheduledFuture<?> releaseTask;

  private SmsGateway(Builder b) {
    this.providers = Map.copyOf(b.providers);
    String primary = b.providers.keySet().iterator().next();
    this.clock = b.clock;
    Map<String, TokenBucket> buckets = new HashMap<>();
    b.partsPerSecond.forEach((name, rate) -> buckets.put(name, new TokenBucket(rate, b.clock)));
    this.listeners = new GatewayListeners(b.listeners);
    this.defaultRegion = b.defaultRegion;
    this.numberCheck = b.numberCheck;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = b.scheduler != null ? b.scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sms-gateway-scheduler");
      t.setDaemon(true);
      return t;
    });
    OptOutStore optOutStore = b.optOutStore != null ? b.optOutStore : new InMemoryOptOutStore();
    this.messageStore = b.messageStore != null ? b.messageStore : new InMemoryMessageStore(b.clock);
    BudgetGuard budget = b.spendingBudget == null ? null : new BudgetGuard(b.spendingBudget, messageStore, b.clock,
        (scope, period, spent, limit) -> listeners.notify(l -> l.onBudgetThreshold(scope, period, spent, limit)));
    this.closeTimeout = b.closeTimeout;
    this.ownedCallbacks = b.callbackExecutor != null ? null : callbackPool(b.callbackThreads);
    this.callbacks = neverDropping(b.callbackExecutor != null ? b.callbackExecutor : ownedCallbacks);
    this.acceptor = new SendAcceptor(providers, primary, b.defaultRegion, b.numberCheck, b.maxParts, optOutStore,
        messageStore, b.clock, b.idempotencyTtl, b.compliance);
    this.reports = new ReportCorrelator(messageStore, b.clock, b.reportParkTtl, inFlight, listeners, callbacks);
    this.pipeline = new SendPipeline(providers, Map.copyOf(b.failover), Map.copyOf(buckets),
        new OriginatorThrottleRegistry(b.originatorThrottles, b.clock), budget, scheduler, optOutStore, messageStore,
        b.retryPolicy, b.random, b.clock, listeners, inFlight, reports, callbacks, b.compliance);
    this.held = b.compliance == null ? null
        : new HeldSends(b.compliance, acceptor, pipeline, inFlight, listeners, messageStore, b.clock);
    this.inbound = new InboundIntake(messageStore, b.clock, b.inboundDedupeTtl, b.inboundHandler, listeners);
  }

  /**
   * {@code executor}, running a task on the calling thread once it refuses it (the gateway is closing, or the
   * application's executor was shut down): what follows a send's or a report's store answer always runs, so no send
   * is left without an outcome and no report untold.
   */
  private static java.util.concurrent.Executor neverDropping(java.util.concurrent.Executor executor) {
    return task -> {
      try {
        executor.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException refused) {
        task.run();
      }
    };
  }

  /** The gateway's own callback threads: daemons, started on demand, idle ones end after a minute. */
  private static java.util.concurrent.ExecutorService callbackPool(int threads) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 60,
        TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "sms-gateway-callback-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Accepts a message for sending. Never throws for bad input: an invalid number or body, an opted-out recipient and
   * every provider failure complete the future exceptionally with an {@link SmsException}. A repeated
   * {@linkplain OutboundSms#idempotencyKey() idempotency key} returns the first send's outcome and sends nothing.
   * Before {@link #start()} a send fails at once with an {@link SmsConfigurationException} (and a WARN line); after
   * {@link #close()} with an {@link SmsTransportException}.
   *
   * @throws NullPointerException if {@code sms} is null
   */
  public CompletableFuture<SendReceipt> send(OutboundSms sms) {
    Objects.requireNonNull(sms, "sms == null");
    if (closing.get()) {
      return CompletableFuture.failedFuture(new SmsTransportException("the gateway is closed", null, null, false,
          null));
    }
    if (!started.get()) {
      // Fail at once and loudly: no provider is connecting, so the message could only wait for ever.
      log.warn("send refused: the gateway is not started; call start() before send()");
      return CompletableFuture.failedFuture(new SmsConfigurationException(
          "the gateway is not started: call start() before send()"));
    }
    return acceptor.accept(sms, send -> {
      inFlight.add(send);
      log.debug("accepted {} to {} ({} parts, {})", send.messageId, send.request.to(),
          send.request.plan().partCount(), send.request.plan().encoding());
      listeners.notify(l -> l.onAccepted(send.messageId, sms));
      pipeline.dispatch(send);
    }, held == null ? null : held::hold);
  }

  /** What the gateway knows of a message it accepted. */
  public Optional<MessageRecord> status(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    Optional<MessageRecord> stored = messageStore.find(messageId);
    if (stored.isPresent()) {
      return stored;
    }
    // in flight: the store gets the record when the send ends
    Send send = inFlight.get(messageId);
    return send == null ? Optional.empty() : Optional.of(send.acceptedRecord());
  }

  /** The names of the gateway's providers: what an {@link OutboundSms#provider()} or a routing mapping may name. */
  public java.util.Set<String> providerNames() {
    return providers.keySet();
  }

  /** Normalizes a number with the gateway's default region. */
  public PhoneNumber normalize(String raw) {
    return PhoneNumbers.normalize(raw, defaultRegion, "phoneNumber", numberCheck);
  }

  /**
   * Starts every provider, with the gateway as their listener, and the periodic purge of expired store entries.
   *
   * @throws IllegalStateException if called twice or after {@link #close()}
   */
  public void start() {
    if (closing.get()) {
      throw new IllegalStateException("the gateway is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the gateway is already started");
    }
    for (SmsProvider provider : providers.values()) {
      provider.start(new Listener(provider.name()));
    }
    purgeTask = scheduler.scheduleWithFixedDelay(this::purge, PURGE_INTERVAL.toNanos(), PURGE_INTERVAL.toNanos(),
        TimeUnit.NANOSECONDS);
    if (held != null) { // release held messages now (after a restart) and every 30 s
      releaseTask = scheduler.scheduleWithFixedDelay(this::releaseHeld, 0, HeldSends.RELEASE_INTERVAL.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Sends now, in order, the messages held for quiet hours whose window has opened (the gateway does this by itself
   * at {@link #start()} and every 30 seconds); each then ends in {@code onSent} or {@code onFailed}. Returns how many
   * it released; 0 without a compliance engine, before {@code start()} or after {@link #close()}.
   */
  public int releaseHeldMessages() {
    if (held == null || !started.get() || closing.get()) {
      return 0;
    }
    return held.releaseDue(closing::get);
  }

  private void releaseHeld() {
    try {
      releaseHeldMessages();
    } catch (RuntimeException e) {
      log.warn("releasing held messages failed; retried in {} s", HeldSends.RELEASE_INTERVAL.toSeconds(), e);
    }
  }

  private void purge() {
    try {
      Instant now = clock.instant();
      acceptor.purge(now);
      int purged = messageStore.purgeExpired();
      if (purged > 0) {
        log.debug("purged {} expired message-store entries", purged);
      }
    } catch (RuntimeException e) {
      log.warn("purging expired message-store entries failed", e);
    }
  }

  /**
   * Stops accepting sends, waits up to {@link Builder#closeTimeout closeTimeout} (default 10 seconds) for the ones
   * in progress to end (sent, or failed after their retries), then closes every provider and fails what is still
   * pending with an {@link SmsTransportException}; every accepted message still ends in {@code onSent} or
   * {@code onFailed}. Shuts down the gateway's own scheduler (not one the application supplied). Idempotent; a second
   * call while the first waits returns at once.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    inFlight.drain(closeTimeout);
    pipeline.markClosed();
    ScheduledFuture<?> purging = purgeTask;
    if (purging != null) {
      purging.cancel(false);
    }
    ScheduledFuture<?> releasing = releaseTask;
    if (releasing != null) {
      releasing.cancel(false);
    }
    for (SmsProvider provider : providers.values()) {
      try {
        provider.close();
      } catch (RuntimeException e) {
        log.warn("closing provider {} failed", provider.name(), e);
      }
    }
    for (Send send : inFlight.snapshot()) {
      pipeline.fail(send, new SmsTransportException("the gateway closed before the message was sent", send.provider,
          null, false, null));
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    if (ownedCallbacks != null) {
      ownedCallbacks.shutdown();
    }
  }

  @Override
  public String toString() {
    return "SmsGateway{providers=" + providers.keySet() + ", inFlight=" + inFlight.size() + ", closed="
        + closing.get() + "}";
  }

  static SmsException asSmsException(Throwable error, String provider) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof SmsException sms) {
      return sms;
    }
    // Outside the provider contract: we cannot know whether the request left, so never retry it blindly.
    return new SmsTransportException("provider " + provider + " failed unexpectedly: " + e, provider, null, true, e);
  }

  /** The provider listener the gateway registers: de-duplicates inbound, correlates reports. Thread-safe. */
  private final class Listener implements ProviderListener {
    private final String providerName;

    Listener(String providerName) {
      this.providerName = providerName;
    }

    @Override
    public void onInbound(InboundSms sms) {
      Objects.requireNonNull(sms, "sms == null");
      inbound.onInbound(providerName, sms);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      Objects.requireNonNull(report, "report == null");
      reports.onDeliveryReport(providerName, report);
    }

    /**
     * The report's merge is written without blocking the provider's thread; the future completes once it is durable
     * and every gateway listener was told (on the callback executor, where the store answered later).
     */
    @Override
    public CompletableFuture<Void> onDeliveryReportAsync(DeliveryReport report) {
      Objects.requireNonNull(report, "report == null");
      try {
        return reports.onDeliveryReportAsync(providerName, report);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void onStateChange(String provider, ProviderState state, String detail) {
      log.info("provider {} is {}{}", provider, state, detail == null ? "" : ": " + detail);
      listeners.notify(l -> l.onProviderState(provider, state, detail));
    }
  }

  /** Builds {@link SmsGateway}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, SmsProvider> providers = new LinkedHashMap<>();
    private final Map<String, String> failover = new LinkedHashMap<>();
    private final Map<String, Double> partsPerSecond = new LinkedHashMap<>();
    private OriginatorThrottles originatorThrottles = OriginatorThrottles.none();
    private SpendingBudget spendingBudget;
    private final List<GatewayListener> listeners = new ArrayList<>();
    private String defaultRegion;
    private NumberCheck numberCheck = NumberCheck.LIBPHONENUMBER;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private OptOutStore optOutStore;
    private MessageStore messageStore;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration idempotencyTtl = Duration.ofHours(24);
    private InboundHandler inboundHandler;
    private int maxParts = 10;
    private Duration reportParkTtl = Duration.ofMinutes(10);
    private Duration inboundDedupeTtl = Duration.ofHours(24);
    private RandomGenerator random;
    private Duration closeTimeout = Duration.ofSeconds(10);
    private dev.smsgateway.compliance.Compliance compliance;
    private java.util.concurrent.Executor callbackExecutor;
    private int callbackThreads = 16;

    private Builder() {}

    /**
     * Checks every send against consent, scoped opt-outs and quiet hours, holds what quiet hours hold (released when
     * the window opens, also after a restart) and audits acceptances, refusals, sends and delivery reports. A held
     * send's future completes at once with a receipt whose {@code details} carry {@code heldUntil}; its outcome
     * reaches the listeners ({@code onSent} or {@code onFailed}) when it is released. Default none.
     */
    public Builder compliance(dev.smsgateway.compliance.Compliance compliance) {
      this.compliance = Objects.requireNonNull(compliance, "compliance == null");
      this.listeners.add(compliance.gatewayListener());
      return this;
    }

    /**
     * Where the end of a send runs when the message store answered its write later (a durable store commits writes
     * of concurrent sends together, off the provider's I/O threads): listeners' onSent, the completion of the
     * future and what the application chained to it. Default: the gateway's own pool of {@link #callbackThreads}
     * daemon threads, shut down by {@link SmsGateway#close()}; an executor given here is not shut down. With the
     * in-memory store the end of a send runs right on the provider's thread, as before.
     */
    public Builder callbackExecutor(java.util.concurrent.Executor callbackExecutor) {
      this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor == null");
      return this;
    }

    /**
     * The number of the gateway's own callback threads (see {@link #callbackExecutor}). Default 16: work chained to a
     * send's future often writes to a store of its own (the conversation service does), and such writes wait for
     * the database in parallel.
     */
    public Builder callbackThreads(int callbackThreads) {
      if (callbackThreads < 1 || callbackThreads > 1024) {
        throw new SmsValidationException("callbackThreads", "must be 1-1024: " + callbackThreads);
      }
      this.callbackThreads = callbackThreads;
      return this;
    }

    /**
     * How long {@link SmsGateway#close()} waits for sends in progress (waiting for the provider's answer, a throttle
     * or a retry) before it fails them. Default 10 seconds; zero fails them at once.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      Objects.requireNonNull(closeTimeout, "closeTimeout == null");
      if (closeTimeout.isNegative()) {
        throw new SmsValidationException("closeTimeout", "must not be negative: " + closeTimeout);
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** How long a delivery report that overtook its send's response is kept waiting for it. Default 10 minutes. */
    public Builder reportParkTtl(Duration reportParkTtl) {
      this.reportParkTtl = requirePositive(reportParkTtl, "reportParkTtl");
      return this;
    }

    /** How long an inbound message's provider id is remembered for de-duplication. Default 24 hours. */
    public Builder inboundDedupeTtl(Duration inboundDedupeTtl) {
      this.inboundDedupeTtl = requirePositive(inboundDedupeTtl, "inboundDedupeTtl");
      return this;
    }

    /** The source of retry jitter; tests pass a seeded generator. Default {@link ThreadLocalRandom}. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random == null");
      return this;
    }

    private static Duration requirePositive(Duration d, String field) {
      Objects.requireNonNull(d, field + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new SmsValidationException(field, "must be positive: " + d);
      }
      return d;
    }

    /** Adds a provider; the first one added is the primary. Names must be unique. */
    public Builder provider(SmsProvider provider) {
      Objects.requireNonNull(provider, "provider == null");
      if (provider.name() == null || provider.name().isBlank()) {
        throw new SmsConfigurationException("provider " + provider.getClass().getName() + " has no name");
      }
      if (providers.putIfAbsent(provider.name(), provider) != null) {
        throw new SmsConfigurationException("two providers are named '" + provider.name() + "'");
      }
      return this;
    }

    /** When {@code primary} fails with a retryable, not possibly-delivered error, try {@code secondary}. */
    public Builder failover(String primary, String secondary) {
      failover.put(Objects.requireNonNull(primary, "primary == null"), Objects.requireNonNull(secondary, "secondary == null"));
      return this;
    }

    /** Throttles {@code provider} to {@code partsPerSecond} SMS parts a second (a token bucket). */
    public Builder throttle(String provider, double partsPerSecond) {
      if (!(partsPerSecond > 0)) {
        throw new SmsValidationException("throttle.partsPerSecond", "must be > 0: " + partsPerSecond);
      }
      this.partsPerSecond.put(Objects.requireNonNull(provider, "provider == null"), partsPerSecond);
      return this;
    }

    /**
     * Parts per second per sending number, for every provider: {@link OriginatorThrottles#defaults()} gives long
     * codes 1, toll-free numbers 3 and short codes 100. Default {@link OriginatorThrottles#none()}: rates depend on
     * the country and on registrations (a US 10DLC campaign's rate is per campaign), so they are opted into.
     */
    public Builder originatorThrottles(OriginatorThrottles originatorThrottles) {
      this.originatorThrottles = Objects.requireNonNull(originatorThrottles, "originatorThrottles == null");
      return this;
    }

    /**
     * Limits spending per day and month, counted in the message store; a send that would pass a limit fails with
     * {@link SmsBudgetExceededException}. Default none.
     */
    public Builder spendingBudget(SpendingBudget spendingBudget) {
      this.spendingBudget = Objects.requireNonNull(spendingBudget, "spendingBudget == null");
      return this;
    }

    /**
     * The ISO 3166-1 alpha-2 region for reading national numbers ({@code "US"}, {@code "GB"}). Default none: every
     * number must then carry its country code.
     *
     * @throws SmsValidationException naming {@code defaultRegion} if it is not a region libphonenumber knows (an
     *     alpha-3 code such as {@code "USA"} gets the alpha-2 code it means in the message)
     */
    public Builder defaultRegion(String defaultRegion) {
      this.defaultRegion = defaultRegion == null ? null : PhoneNumbers.region(defaultRegion, "defaultRegion");
      return this;
    }

    /**
     * How a recipient or sender already written in E.164 is checked before sending. Default
     * {@link NumberCheck#LIBPHONENUMBER} (valid for its country's plan); {@link NumberCheck#CALLING_CODE_LENGTH}
     * checks the calling code and the length from a table in the library, with no libphonenumber metadata load (a
     * shorter cold start). Other input is always read by libphonenumber.
     */
    public Builder numberCheck(NumberCheck numberCheck) {
      this.numberCheck = Objects.requireNonNull(numberCheck, "numberCheck == null");
      return this;
    }

    /** The clock for timestamps, TTLs, backoff and throttling. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The scheduler for retries and throttling delays. Default: a single daemon thread owned by the gateway. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
      return this;
    }

    /** Where opt-outs are kept. Default in memory. */
    public Builder optOutStore(OptOutStore optOutStore) {
      this.optOutStore = Objects.requireNonNull(optOutStore, "optOutStore == null");
      return this;
    }

    /** Where message state, idempotency keys and de-duplication marks are kept. Default in memory. */
    public Builder messageStore(MessageStore messageStore) {
      this.messageStore = Objects.requireNonNull(messageStore, "messageStore == null");
      return this;
    }

    /** How retryable failures are retried. Default {@link RetryPolicy#defaults()}. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
      return this;
    }

    /** How long an idempotency key holds. Default 24 hours. */
    public Builder idempotencyTtl(Duration idempotencyTtl) {
      this.idempotencyTtl = Objects.requireNonNull(idempotencyTtl, "idempotencyTtl == null");
      return this;
    }

    /** Takes inbound messages (usually the routing engine). Default: none, inbound is only given to listeners. */
    public Builder inboundHandler(InboundHandler inboundHandler) {
      this.inboundHandler = Objects.requireNonNull(inboundHandler, "inboundHandler == null");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(GatewayListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /** The most parts one message may have. Default 10. */
    public Builder maxParts(int maxParts) {
      if (maxParts < 1 || maxParts > 255) {
        throw new SmsValidationException("maxParts", "must be 1-255: " + maxParts);
      }
      this.maxParts = maxParts;
      return this;
    }

    /**
     * Builds the gateway.
     *
     * @throws SmsConfigurationException if there is no provider, or a failover or throttle names an unknown one
     */
    public SmsGateway build() {
      if (providers.isEmpty()) {
        throw new SmsConfigurationException("a gateway needs at least one provider");
      }
      failover.forEach((from, to) -> {
        requireKnown(from, "failover");
        requireKnown(to, "failover");
        if (from.equals(to)) {
          throw new SmsConfigurationException("provider '" + from + "' cannot fail over to itself");
        }
      });
      partsPerSecond.keySet().forEach(name -> requireKnown(name, "throttle"));
      if (spendingBudget != null) {
        BudgetGuard.check(spendingBudget, providers.keySet());
      }
      if (idempotencyTtl.isNegative() || idempotencyTtl.isZero()) {
        throw new SmsValidationException("idempotencyTtl", "must be positive: " + idempotencyTtl);
      }
      if (random == null) {
        random = new ThreadLocalJitter();
      }
      return new SmsGateway(this);
    }

    private void requireKnown(String name, String setting) {
      if (!providers.containsKey(name)) {
        throw new SmsConfigurationException(setting + " names unknown provider '" + name + "'; configured: "
            + providers.keySet());
      }
    }
  }

  /** Jitter from the calling thread's {@link ThreadLocalRandom}. Thread-safe. */
  private static final class ThreadLocalJitter implements RandomGenerator {
    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public long nextLong(long bound) {
      return ThreadLocalRandom.current().nextLong(bound);
    }
  }
}
