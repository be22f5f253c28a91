package dev.smsgateway;

import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An accepted send's way to a provider and back: the sending number's throttle, then the provider's, the opt-out
 * check right before the wire, the spending budget, the provider call; then the outcome: onSent with the provider ids
 * linked (and the reports that overtook it applied after), or retries with backoff, failover to a secondary provider,
 * and in the end onFailed. Every send ends in exactly one of onSent and onFailed.
 */
final class SendPipeline {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);

  private final Map<String, SmsProvider> providers;
  private final Map<String, String> failover;
  private final Map<String, TokenBucket> throttles;
  private final OriginatorThrottleRegistry originatorThrottles;
  private final BudgetGuard budget;
  private final ScheduledExecutorService scheduler;
  private final OptOutStore optOutStore;
  private final MessageStore messageStore;
  private final RetryPolicy retryPolicy;
  private final RandomGenerator random;
  private final Clock clock;
  private final GatewayListeners listeners;
  private final InFlightSends inFlight;
  private final ReportCorrelator reports;
  // set once close() has waited for pending sends: from then on nothing more is submitted or retried
  private volatile boolean closed;

  SendPipeline(Map<String, SmsProvider> providers, Map<String, String> failover, Map<String, TokenBucket> throttles,
      OriginatorThrottleRegistry originatorThrottles, BudgetGuard budget, ScheduledExecutorService scheduler,
      OptOutStore optOutStore, MessageStore messageStore, RetryPolicy retryPolicy, RandomGenerator random, Clock clock,
      GatewayListeners listeners, InFlightSends inFlight, ReportCorrelator reports) {
    this.providers = providers;
    this.failover = failover;
    this.throttles = throttles;
    this.originatorThrottles = originatorThrottles;
    this.budget = budget;
    this.scheduler = scheduler;
    this.optOutStore = optOutStore;
    this.messageStore = messageStore;
    this.retryPolicy = retryPolicy;
    this.random = random;
    this.clock = clock;
    this.listeners = listeners;
    this.inFlight = inFlight;
    this.reports = reports;
  }

  /** From now on nothing more is submitted or retried; what is still pending fails. */
  void markClosed() {
    closed = true;
  }

  /**
   * Takes the sending number's throttle tokens, then (now or when they are there) the provider's. The number's wait
   * comes first, so a burst to one number does not take provider tokens ahead of other numbers' messages.
   */
  void dispatch(Send send) {
    Originator from = send.request.from().orElse(null);
    long waitNanos = originatorThrottles.reserve(from, send.request.plan().partCount());
    if (waitNanos <= 0) {
      dispatchToProvider(send);
      return;
    }
    Duration wait = Duration.ofNanos(waitNanos);
    listeners.notify(l -> l.onOriginatorThrottled(from, wait));
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
    listeners.notify(l -> l.onThrottled(provider, wait));
    schedule(send, () -> submit(send), waitNanos);
  }

  private void schedule(Send send, Runnable task, long delayNanos) {
    try {
      scheduler.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          fail(send, SmsGateway.asSmsException(e, send.provider));
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
          SmsException failure = SmsGateway.asSmsException(error, send.provider);
          if (budget != null && !failure.possiblyDelivered()) {
            budget.release(send.spend);
          }
          onProviderFailed(send, failure);
        }
      } catch (RuntimeException e) {
        log.error("message {}: handling the provider's answer failed", send.messageId, e);
        fail(send, SmsGateway.asSmsException(e, send.provider));
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
      listeners.notify(l -> l.onSent(receipt));
      send.result.complete(receipt);
      // Link after onSent so that listeners see the receipt before any report; then apply reports that overtook it.
      reports.linkAndApplyParked(send, receipt);
    } finally {
      settle(send);
    }
  }

  /**
   * The send's outcome has been announced to every listener: from now on its reports go straight to them. Applies
   * the reports that arrived meanwhile (held by {@link ReportCorrelator#onDeliveryReport}), in the order they came.
   */
  private void settle(Send send) {
    List<DeliveryReport> held = send.settle();
    inFlight.remove(send);
    for (DeliveryReport report : held) {
      log.debug("applying a report for message {} that arrived before its send ended", send.messageId);
      try {
        reports.onDeliveryReport(send.provider, report);
      } catch (RuntimeException e) {
        log.warn("message {}: applying a held delivery report failed", send.messageId, e);
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

  void fail(Send send, SmsException error) {
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
      listeners.notify(l -> l.onFailed(send.messageId, error));
      send.result.completeExceptionally(error);
    } finally {
      // a report that arrived meanwhile (a timed-out send may have been delivered after all) comes after onFailed
      settle(send);
    }
  }
}
