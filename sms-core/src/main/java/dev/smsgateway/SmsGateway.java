package dev.smsgateway;

import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.ProviderLink;
import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.SegmentPlan;
import dev.smsgateway.text.SmsEncoding;
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
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Past 600 lines, knowingly for now: the send path (prepare, throttle, budget, provider call, completion) is one
// sequence whose order the javadoc promises. It splits along its store writes (record, link, report) when the
// durable write path is reworked to batch them; the per-number throttles, the budget, the pending sends at close and
// the report hold already live in classes of their own.
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

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  private final Map<String, SmsProvider> providers;
  private final String primary;
  private final Map<String, String> failover;
  private final Map<String, TokenBucket> throttles;
  private final OriginatorThrottleRegistry originatorThrottles;
  private final BudgetGuard budget;
  private final List<GatewayListener> listeners;
  private final String defaultRegion;
  private final NumberCheck numberCheck;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final OptOutStore optOutStore;
  private final MessageStore messageStore;
  private final RetryPolicy retryPolicy;
  private final Duration idempotencyTtl;
  private final Duration reportParkTtl;
  private final Duration inboundDedupeTtl;
  private final InboundHandler inboundHandler;
  private final int maxParts;
  private final RandomGenerator random;
  // ---- compliance (consent, opt-out scope, quiet hours, audit): see dev.smsgateway.compliance ----
  private final dev.smsgateway.compliance.Compliance compliance;
  private volatile ScheduledFuture<?> releaseTask;

  // Sends accepted and not yet finished, by our message id: so that close() can fail what never left.
  private final Map<String, Send> inFlight = new ConcurrentHashMap<>();
  // Results of sends that had an idempotency key, by our message id, kept for the key's TTL.
  private final Map<String, Keyed> keyed = new ConcurrentHashMap<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final PendingSends pending = new PendingSends("sms-gateway-pending-sends");
  private final Duration closeTimeout;
  private final AtomicBoolean closing = new AtomicBoolean();
  // set once close() has waited for pending sends: from then on nothing more is submitted or retried
  private volatile boolean closed;
  private volatile ScheduledFuture<?> purgeTask;

  private SmsGateway(Builder b) {
    this.providers = Map.copyOf(b.providers);
    this.primary = b.providers.keySet().iterator().next();
    this.failover = Map.copyOf(b.failover);
    this.clock = b.clock;
    Map<String, TokenBucket> buckets = new HashMap<>();
    b.partsPerSecond.forEach((name, rate) -> buckets.put(name, new TokenBucket(rate, b.clock)));
    this.throttles = Map.copyOf(buckets);
    this.originatorThrottles = new OriginatorThrottleRegistry(b.originatorThrottles, b.clock);
    this.listeners = List.copyOf(b.listeners);
    this.defaultRegion = b.defaultRegion;
    this.numberCheck = b.numberCheck;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = b.scheduler != null ? b.scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sms-gateway-scheduler");
      t.setDaemon(true);
      return t;
    });
    this.optOutStore = b.optOutStore != null ? b.optOutStore : new InMemoryOptOutStore();
    this.messageStore = b.messageStore != null ? b.messageStore : new InMemoryMessageStore(b.clock);
    this.budget = b.spendingBudget == null ? null : new BudgetGuard(b.spendingBudget, messageStore, b.clock,
        (scope, period, spent, limit) -> notifyListeners(l -> l.onBudgetThreshold(scope, period, spent, limit)));
    this.retryPolicy = b.retryPolicy;
    this.idempotencyTtl = b.idempotencyTtl;
    this.reportParkTtl = b.reportParkTtl;
    this.inboundDedupeTtl = b.inboundDedupeTtl;
    this.inboundHandler = b.inboundHandler;
    this.maxParts = b.maxParts;
    this.random = b.random;
    this.closeTimeout = b.closeTimeout;
    this.compliance = b.compliance;
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
    Prepared prepared;
    Optional<Instant> holdUntil = Optional.empty();
    try {
      prepared = prepare(sms);
      if (compliance != null) { // ---- compliance check (consent, scoped opt-out, quiet hours) ----
        holdUntil = compliance.beforeAccept(sms, prepared.request.to(), prepared.request.from().orElse(null));
      }
    } catch (SmsException e) {
      if (compliance != null) {
        compliance.refused(sms, e);
      }
      log.debug("send refused: {}", e.getMessage());
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      // A store failed: nothing was accepted, so the caller may simply try again.
      return CompletableFuture.failedFuture(new SmsTransportException("could not accept the message: " + e, null,
          null, false, e));
    }
    String messageId = UUID.randomUUID().toString();
    Send send = new Send(messageId, sms, prepared);
    Optional<String> key = sms.idempotencyKey();
    try {
      if (key.isPresent()) {
        Instant expiresAt = clock.instant().plus(idempotencyTtl);
        // Register before claiming, so a concurrent duplicate that loses the claim finds our future.
        keyed.put(messageId, new Keyed(send.result, expiresAt));
        Optional<String> holder = messageStore.claimIdempotencyKey(key.get(), messageId, expiresAt);
        if (holder.isPresent()) {
          keyed.remove(messageId);
          return duplicateOf(holder.get());
        }
      }
      messageStore.save(MessageRecord.accepted(messageId, null, prepared.request.to(),
          prepared.request.from().orElse(null), prepared.request.plan().partCount(), clock.instant()));
    } catch (RuntimeException e) {
      keyed.remove(messageId);
      return CompletableFuture.failedFuture(new SmsTransportException("could not accept the message: " + e, null,
          null, false, e));
    }
    if (holdUntil.isPresent()) { // ---- compliance: held for quiet hours ----
      return hold(send, holdUntil.get());
    }
    inFlight.put(messageId, send);
    pending.add();
    log.debug("accepted {} to {} ({} parts, {})", messageId, prepared.request.to(),
        prepared.request.plan().partCount(), prepared.request.plan().encoding());
    notifyListeners(l -> l.onAccepted(messageId, sms));
    dispatch(send);
    return send.result.copy();
  }

  private Prepared prepare(OutboundSms sms) {
    String providerName = sms.provider().orElse(primary);
    SmsProvider provider = providers.get(providerName);
    if (provider == null) {
      throw new SmsValidationException("provider", "names no provider of this gateway: '" + providerName
          + "'; configured: " + new TreeSet<>(providers.keySet()));
    }
    String region = sms.defaultRegion().orElse(defaultRegion);
    PhoneNumber to = PhoneNumbers.normalize(sms.to(), region, "to", numberCheck);
    Originator from = sms.from().map(f -> Originator.parse(f, region, numberCheck)).orElse(null);
    SegmentPlan plan = SmsEncoding.plan(sms.body(), sms.transliterate());
    int limit = Math.min(maxParts, provider.capabilities().maxParts());
    if (plan.partCount() > limit) {
      throw new SmsValidationException("body", "is too long: " + plan.partCount() + " parts of " + plan.encoding()
          + " (" + plan.units() + " units) > the maximum of " + limit + " parts"
          + (plan.encoding() == Encoding.UCS2 ? "; characters forcing UCS-2: " + plan.ucs2Characters().size() : ""));
    }
    if (!sms.mediaUrls().isEmpty() && !provider.capabilities().media()) {
      throw new SmsValidationException("mediaUrls", "are not supported by provider '" + providerName + "'");
    }
    // A keyword reply (the STOP confirmation) is the one message an opted-out customer still gets.
    if (!sms.keywordReply() && optOutStore.isOptedOut(to)) {
      throw new SmsOptedOutException(to);
    }
    SubmitRequest request = SubmitRequest.builder().messageId("pending").to(to).from(from).body(plan.text())
        .plan(plan).deliveryReport(sms.deliveryReport()).validity(sms.validity().orElse(null))
        .mediaUrls(sms.mediaUrls()).attributes(sms.attributes()).build();
    return new Prepared(providerName, request);
  }

  private CompletableFuture<SendReceipt> duplicateOf(String firstId) {
    Keyed first = keyed.get(firstId);
    if (first != null) {
      log.debug("idempotency key already used by {}; returning its result", firstId);
      return first.result.copy();
    }
    Optional<MessageRecord> record = messageStore.find(firstId);
    if (record.isPresent() && record.get().provider() != null && !record.get().status().isFinal()
        || record.isPresent() && record.get().status() == DeliveryStatus.DELIVERED) {
      MessageRecord r = record.get();
      return CompletableFuture.completedFuture(new SendReceipt(firstId, r.provider(), List.of(), r.parts(),
          r.updatedAt(), Map.of("duplicateOf", firstId)));
    }
    if (record.isPresent() && record.get().status().isFinal()) {
      return CompletableFuture.failedFuture(new SmsRejectedException("the first send with this idempotency key ("
          + firstId + ") failed: " + record.get().status(), record.get().provider(), record.get().errorCode()));
    }
    return CompletableFuture.failedFuture(new SmsTransportException("a send with this idempotency key (" + firstId
        + ") is still in progress elsewhere", null, null, true, null));
  }

  /**
   * Takes the sending number's throttle tokens, then (now or when they are there) the provider's. The number's wait
   * comes first, so a burst to one number does not take provider tokens ahead of other numbers' messages.
   */
  private void dispatch(Send send) {
    Originator from = send.request.from().orElse(null);
    long waitNanos = originatorThrottles.reserve(from, send.request.plan().partCount());
    if (waitNanos <= 0) {
      dispatchToProvider(send);
      return;
    }
    Duration wait = Duration.ofNanos(waitNanos);
    notifyListeners(l -> l.onOriginatorThrottled(from, wait));
    schedule(send, () -> dispatchToProvider(send), waitNanos);
  }

  /** Takes the provider's throttle tokens, then submits now or when the tokens are there. */
  private void dispatchToProvider(Send send) {
    TokenBucket bucket = throttles.get(send.provider);
    long waitNanos = bucket == null ? 0 : bucket.reserve(send.request.plan().partCount());
    if (waitNanos <= 0) {
      submit(send);
      return;
    }
    String provider = send.provider;
    Duration wait = Duration.ofNanos(waitNanos);
    notifyListeners(l -> l.onThrottled(provider, wait));
    schedule(send, () -> submit(send), waitNanos);
  }

  private void schedule(Send send, Runnable task, long delayNanos) {
    try {
      scheduler.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          fail(send, asSmsException(e, send.provider));
        }
      }, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      fail(send, new SmsTransportException("the gateway is closed", send.provider, null, false, e));
    }
  }

  private void submit(Send send) {
    if (send.done.get()) {
      return;
    }
    if (closed) {
      fail(send, new SmsTransportException("the gateway closed before the message was sent", send.provider, null,
          false, null));
      return;
    }
    // Second opt-out check, right before the wire: a STOP may have arrived while the send waited
    // (docs/reliability.md R6).
    PhoneNumber to = send.request.to();
    if (!send.sms.keywordReply() && optOutStore.isOptedOut(to)) {
      fail(send, new SmsOptedOutException(to));
      return;
    }
    if (compliance != null) { // ---- compliance: consent withdrawn while the send waited ----
      SmsException refusal = compliance.beforeWire(send.sms, to, send.request.from().orElse(null));
      if (refusal != null) {
        fail(send, refusal);
        return;
      }
    }
    if (budget != null && !reserveSpend(send)) {
      return;
    }
    SmsProvider provider = providers.get(send.provider);
    SubmitRequest request = send.request.toBuilder().messageId(send.messageId).attempt(send.attempt).build();
    CompletableFuture<SendReceipt> sent;
    try {
      sent = provider.send(request);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((receipt, error) -> {
      try {
        if (error == null) {
          if (budget != null) {
            budget.settle(send.spend, receipt);
          }
          onProviderAccepted(send, receipt);
        } else {
          SmsException failure = asSmsException(error, send.provider);
          if (budget != null && !failure.possiblyDelivered()) {
            budget.release(send.spend);
          }
          onProviderFailed(send, failure);
        }
      } catch (RuntimeException e) {
        log.error("message {}: handling the provider's answer failed", send.messageId, e);
        fail(send, asSmsException(e, send.provider));
      }
    });
  }

  /** Counts the send against the spending budget; false when it was refused (the send has failed or will retry). */
  private boolean reserveSpend(Send send) {
    try {
      send.spend = budget.reserve(send.provider, send.request.plan().partCount());
      return true;
    } catch (SmsBudgetExceededException e) {
      fail(send, e);
    } catch (RuntimeException e) {
      onProviderFailed(send, new SmsTransportException("could not count the message against the spending budget: "
          + e, send.provider, null, false, e));
    }
    return false;
  }

  private void onProviderAccepted(Send send, SendReceipt receipt) {
    Instant now = clock.instant();
    messageStore.find(send.messageId)
        .ifPresent(r -> messageStore.save(r.withProvider(send.provider, now)));
    if (!send.done.compareAndSet(false, true)) {
      return;
    }
    log.debug("message {} to {} accepted by {} as {}", send.messageId, send.request.to(), send.provider,
        receipt.providerMessageIds());
    try {
      notifyListeners(l -> l.onSent(receipt));
      send.result.complete(receipt);
      // Link after onSent so that listeners see the receipt before any report; then apply reports that overtook it.
      linkAndApplyParked(send, receipt);
    } finally {
      settle(send);
    }
  }

  /**
   * The send's outcome has been announced to every listener: from now on its reports go straight to them. Applies
   * the reports that arrived meanwhile (held by {@link #onDeliveryReport}), in the order they came.
   */
  private void settle(Send send) {
    List<DeliveryReport> held = send.settle();
    if (inFlight.remove(send.messageId, send)) {
      pending.remove();
    }
    for (DeliveryReport report : held) {
      log.debug("applying a report for message {} that arrived before its send ended", send.messageId);
      try {
        onDeliveryReport(send.provider, report);
      } catch (RuntimeException e) {
        log.warn("message {}: applying a held delivery report failed", send.messageId, e);
      }
    }
  }

  private void linkAndApplyParked(Send send, SendReceipt receipt) {
    List<String> ids = receipt.providerMessageIds();
    if (ids.isEmpty()) {
      return;
    }
    boolean perPart = ids.size() == receipt.parts();
    messageStore.linkProviderIds(send.messageId, perPart ? send.provider : wholeMessageKey(send.provider), ids);
    for (String id : ids) {
      for (DeliveryReport parked : messageStore.takeParked(send.provider, id)) {
        log.debug("applying a parked report for message {}", send.messageId);
        onDeliveryReport(send.provider, parked);
      }
    }
  }

  private void onProviderFailed(Send send, SmsException error) {
    if (error instanceof SmsOptedOutException) {
      optOutStore.record(new OptOutRecord(send.request.to(), true,
          send.provider + ":" + error.providerCode().orElse("opted-out"), send.provider, clock.instant()));
      fail(send, error);
      return;
    }
    if (closed || send.done.get()) {
      fail(send, error);
      return;
    }
    boolean retryable = error.retryable() && (!error.possiblyDelivered() || retryPolicy.retryPossiblyDelivered());
    String secondary = failover.get(send.provider);
    if (error.retryable() && !error.possiblyDelivered() && secondary != null && !send.failedOver) {
      log.info("message {}: provider {} failed ({}); failing over to {}", send.messageId, send.provider,
          error.getMessage(), secondary);
      send.failOver(secondary);
      dispatch(send);
      return;
    }
    if (retryable && send.attempt < retryPolicy.maxAttempts()) {
      long ceiling = retryPolicy.backoffCeiling(send.attempt).toNanos();
      long delay = ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
      if (error instanceof SmsThrottledException t && t.retryAfter().isPresent()) {
        delay = Math.max(delay, t.retryAfter().get().toNanos());
      }
      log.debug("message {}: attempt {} on {} failed ({}); retrying in {} ms", send.messageId, send.attempt,
          send.provider, error.getMessage(), delay / 1_000_000);
      send.attempt++;
      schedule(send, () -> dispatch(send), delay);
      return;
    }
    fail(send, error);
  }

  private void fail(Send send, SmsException error) {
    if (!send.done.compareAndSet(false, true)) {
      return;
    }
    DeliveryStatus status = error.possiblyDelivered() ? DeliveryStatus.UNKNOWN
        : error instanceof SmsTransportException || error instanceof SmsThrottledException ? DeliveryStatus.FAILED
        : DeliveryStatus.REJECTED;
    try {
      messageStore.applyReport(send.messageId, -1, status, error.providerCode().orElse(null), clock.instant());
    } catch (RuntimeException e) {
      log.warn("message {}: could not record the failure in the message store", send.messageId, e);
    }
    log.info("message {} to {} failed on {} after {} attempt(s): {}", send.messageId, send.request.to(),
        send.provider, send.attempt, error.getMessage());
    try {
      notifyListeners(l -> l.onFailed(send.messageId, error));
      send.result.completeExceptionally(error);
    } finally {
      // a report that arrived meanwhile (a timed-out send may have been delivered after all) comes after onFailed
      settle(send);
    }
  }

  /** What the gateway knows of a message it accepted. */
  public Optional<MessageRecord> status(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return messageStore.find(messageId);
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
    if (compliance != null) { // ---- compliance: release held messages now (after a restart) and every 30 s ----
      releaseTask = scheduler.scheduleWithFixedDelay(this::releaseHeld, 0, RELEASE_INTERVAL.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  // ---- compliance: quiet-hours holds (begin) ----
  private static final Duration RELEASE_INTERVAL = Duration.ofSeconds(30);

  /** Keeps an accepted send in the held-message store; the receipt says until when (no provider call yet). */
  private CompletableFuture<SendReceipt> hold(Send send, Instant until) {
    keyed.remove(send.messageId);
    try {
      compliance.hold(send.messageId, send.sms, send.request, send.provider, until);
    } catch (RuntimeException e) {
      messageStore.applyReport(send.messageId, -1, DeliveryStatus.FAILED, null, clock.instant());
      return CompletableFuture.failedFuture(new SmsTransportException("could not hold the message for quiet hours: "
          + e, null, null, false, e));
    }
    log.debug("message {} to {} held for quiet hours until {}", send.messageId, send.request.to(), until);
    notifyListeners(l -> l.onAccepted(send.messageId, send.sms));
    return CompletableFuture.completedFuture(new SendReceipt(send.messageId, send.provider, List.of(),
        send.request.plan().partCount(), clock.instant(), Map.of("heldUntil", until.toString())));
  }

  /**
   * Sends now, in order, the messages held for quiet hours whose window has opened (the gateway does this by itself
   * at {@link #start()} and every 30 seconds); each then ends in {@code onSent} or {@code onFailed}. Returns how many
   * it released; 0 without a compliance engine or before {@code start()}.
   */
  public int releaseHeldMessages() {
    if (compliance == null || !started.get() || closing.get()) {
      return 0;
    }
    int released = 0;
    List<dev.smsgateway.compliance.HeldMessage> due;
    do {
      due = compliance.takeDue(100);
      due.forEach(this::release);
      released += due.size();
    } while (due.size() == 100 && !closing.get());
    return released;
  }

  private void releaseHeld() {
    try {
      releaseHeldMessages();
    } catch (RuntimeException e) {
      log.warn("releasing held messages failed; retried in {} s", RELEASE_INTERVAL.toSeconds(), e);
    }
  }

  private void release(dev.smsgateway.compliance.HeldMessage h) {
    OutboundSms sms = dev.smsgateway.compliance.Compliance.toOutboundSms(h);
    Prepared prepared;
    try {
      prepared = prepare(sms);
    } catch (SmsException e) {
      messageStore.applyReport(h.messageId(), -1, DeliveryStatus.REJECTED, null, clock.instant());
      log.info("held message {} to {} not sent: {}", h.messageId(), h.to(), e.getMessage());
      notifyListeners(l -> l.onFailed(h.messageId(), e));
      return;
    }
    Send send = new Send(h.messageId(), sms, prepared);
    inFlight.put(h.messageId(), send);
    pending.add();
    log.debug("held message {} to {} released", h.messageId(), h.to());
    dispatch(send);
  }
  // ---- compliance: quiet-hours holds (end) ----

  private void purge() {
    try {
      Instant now = clock.instant();
      keyed.values().removeIf(k -> !now.isBefore(k.expiresAt) && k.result.isDone());
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
    drain();
    closed = true;
    ScheduledFuture<?> purging = purgeTask;
    if (purging != null) {
      purging.cancel(false);
    }
    ScheduledFuture<?> releasing = releaseTask; // ---- compliance ----
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
    for (Send send : List.copyOf(inFlight.values())) {
      fail(send, new SmsTransportException("the gateway closed before the message was sent", send.provider, null,
          false, null));
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /** Waits, bounded by closeTimeout, until no accepted send is still waiting for its outcome. */
  private void drain() {
    if (closeTimeout.isZero() || !anyUnfinished()) {
      return;
    }
    log.info("closing: waiting up to {} ms for {} send(s) in progress", closeTimeout.toMillis(), pending.count());
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    try {
      while (anyUnfinished()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("closing: {} send(s) did not finish within {} ms; they fail now", pending.count(),
              closeTimeout.toMillis());
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
    for (Send send : inFlight.values()) {
      if (!send.done.get()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "SmsGateway{providers=" + providers.keySet() + ", inFlight=" + inFlight.size() + ", closed="
        + closing.get() + "}";
  }

  // ---- inbound and reports ----

  private void onInbound(String providerName, InboundSms sms) {
    String key = "in:" + sms.provider() + ":" + sms.providerMessageId();
    if (!messageStore.markSeen(key, clock.instant().plus(inboundDedupeTtl))) {
      log.debug("duplicate inbound {} from {} dropped", sms.providerMessageId(), providerName);
      return;
    }
    if (inboundHandler != null) {
      try {
        inboundHandler.handle(sms);
      } catch (RuntimeException e) {
        messageStore.unmarkSeen(key);
        log.warn("inbound {} from {} was refused by the handler; the provider will ask for a redelivery: {}",
            sms.providerMessageId(), providerName, e.toString());
        throw e;
      }
    }
    notifyListeners(l -> l.onInbound(sms));
  }

  private void onDeliveryReport(String providerName, DeliveryReport report) {
    String messageId = report.messageId().orElse(null);
    int part = report.part();
    if (messageId == null) {
      Optional<ProviderLink> link = findLink(providerName, report.providerMessageId());
      if (link.isEmpty()) {
        // The report overtook the send's response: park it; the send links and applies it. Check again after
        // parking, in case the link was made in between (then whoever takes the parked report applies it).
        messageStore.park(report, clock.instant().plus(reportParkTtl));
        if (findLink(providerName, report.providerMessageId()).isPresent()) {
          for (DeliveryReport parked : messageStore.takeParked(providerName, report.providerMessageId())) {
            onDeliveryReport(providerName, parked);
          }
        } else {
          log.debug("report for unknown {} id {} parked", providerName, report.providerMessageId());
        }
        return;
      }
      messageId = link.get().messageId();
      if (part < 0) {
        part = link.get().part();
      }
    }
    String id = messageId;
    Send sending = inFlight.get(id);
    if (sending != null && sending.hold(report.toBuilder().messageId(id).part(part).build())) {
      // The report overtook the end of its send (a receipt before submit_sm_resp, a status callback before the
      // create call's answer): listeners get it once every one of them has seen onSent (or onFailed).
      log.debug("report for message {} held until its send ends", id);
      return;
    }
    Optional<MessageRecord> before = messageStore.find(id);
    Optional<MessageRecord> after = messageStore.applyReport(id, part, report.status(),
        report.errorCode().orElse(null), clock.instant());
    if (after.isPresent() && after.equals(before)) {
      log.debug("report for message {} changed nothing (duplicate or late)", id);
      return;
    }
    DeliveryStatus merged = after.map(MessageRecord::status).orElse(report.status());
    DeliveryReport correlated = report.toBuilder().messageId(id).part(part).build();
    notifyListeners(l -> l.onDeliveryReport(correlated, merged));
  }

  /** A per-part link, or a whole-message link (part -1) for providers that return one id for all parts. */
  private Optional<ProviderLink> findLink(String providerName, String providerMessageId) {
    Optional<ProviderLink> link = messageStore.findLink(providerName, providerMessageId);
    if (link.isPresent()) {
      return link;
    }
    return messageStore.findLink(wholeMessageKey(providerName), providerMessageId)
        .map(l -> new ProviderLink(l.messageId(), -1));
  }

  private static String wholeMessageKey(String providerName) {
    return providerName + "/*";
  }

  private void notifyListeners(java.util.function.Consumer<GatewayListener> event) {
    for (GatewayListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("gateway listener {} threw; ignored", l.getClass().getName(), e);
      }
    }
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
      SmsGateway.this.onInbound(providerName, sms);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      Objects.requireNonNull(report, "report == null");
      SmsGateway.this.onDeliveryReport(providerName, report);
    }

    @Override
    public void onStateChange(String provider, ProviderState state, String detail) {
      log.info("provider {} is {}{}", provider, state, detail == null ? "" : ": " + detail);
      notifyListeners(l -> l.onProviderState(provider, state, detail));
    }
  }

  private record Prepared(String provider, SubmitRequest request) {}

  private record Keyed(CompletableFuture<SendReceipt> result, Instant expiresAt) {}

  /** One accepted message on its way; fields change only on the thread that holds the send's current step. */
  private static final class Send {
    final String messageId;
    final OutboundSms sms;
    final SubmitRequest request;
    final CompletableFuture<SendReceipt> result = new CompletableFuture<>();
    final AtomicBoolean done = new AtomicBoolean();
    // reports that arrived before the outcome was announced (null until one does); guarded by this
    private List<DeliveryReport> held;
    private boolean settled;
    volatile String provider;
    volatile int attempt = 1;
    volatile boolean failedOver;
    volatile BudgetGuard.Reservation spend;

    Send(String messageId, OutboundSms sms, Prepared prepared) {
      this.messageId = messageId;
      this.sms = sms;
      this.request = prepared.request();
      this.provider = prepared.provider();
    }

    /** Keeps {@code report} until {@link #settle}; false if the send has settled (apply it now). */
    synchronized boolean hold(DeliveryReport report) {
      if (settled) {
        return false;
      }
      if (held == null) {
        held = new ArrayList<>(2);
      }
      held.add(report);
      return true;
    }

    /** Marks the outcome announced and returns the reports held until now. */
    synchronized List<DeliveryReport> settle() {
      settled = true;
      List<DeliveryReport> taken = held == null ? List.of() : held;
      held = null;
      return taken;
    }

    void failOver(String secondary) {
      provider = secondary;
      attempt = 1;
      failedOver = true;
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
