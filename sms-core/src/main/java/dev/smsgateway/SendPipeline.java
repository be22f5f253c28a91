package dev.smsgateway;

import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  private final java.util.concurrent.Executor callbacks;
  // set once close() has waited for pending sends: from then on nothing more is submitted or retried
  private volatile boolean closed;

  private final dev.smsgateway.compliance.Compliance compliance; // null without a compliance engine

  SendPipeline(Map<String, SmsProvider> providers, Map<String, String> failover, Map<String, TokenBucket> throttles,
      OriginatorThrottleRegistry originatorThrottles, BudgetGuard budget, ScheduledExecutorService scheduler,
      OptOutStore optOutStore, MessageStore messageStore, RetryPolicy retryPolicy, RandomGenerator random, Clock clock,
      GatewayListeners listeners, InFlightSends inFlight, ReportCorrelator reports,
      java.util.concurrent.Executor callbacks, dev.smsgateway.compliance.Compliance compliance) {
    this.compliance = compliance;
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
    this.callbacks = callbacks;
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
    if (!stillToSend(send)) {
      return;
    }
    // Second opt-out check, right before the wire: a STOP may have arrived while the send waited
    // (docs/reliability.md R6). Without compliance or a budget (whose checks read stores of their own and keep held
    // messages in the order they were accepted) it is asked without blocking this thread (the caller's, or a store's
    // completion thread): a store that answers at once (in memory) continues right here; one that answers later
    // continues where its answer arrives, which is fine for the provider's send (providers never block).
    if (send.sms.keywordReply()) {
      submitChecked(send);
      return;
    }
    PhoneNumber to = send.request.to();
    CompletableFuture<Boolean> optedOut;
    try {
      optedOut = compliance == null && budget == null ? optOutStore.isOptedOutAsync(to)
          : CompletableFuture.completedFuture(optOutStore.isOptedOut(to));
    } catch (RuntimeException e) {
      optedOut = CompletableFuture.failedFuture(e);
    }
    if (optedOut.isDone()) {
      afterOptOutCheck(send, optedOut);
    } else {
      CompletableFuture<Boolean> answer = optedOut;
      answer.whenComplete((r, e) -> afterOptOutCheck(send, answer));
    }
  }

  private void afterOptOutCheck(Send send, CompletableFuture<Boolean> optedOut) {
    boolean out;
    try {
      out = optedOut.join();
    } catch (RuntimeException e) {
      // nothing left: the send fails for certain (possiblyDelivered false), and may be tried again
      Throwable cause = cause(e);
      fail(send, new SmsTransportException("could not check the opt-out store before sending: " + cause,
          send.provider, null, false, cause));
      return;
    }
    if (out) {
      fail(send, new SmsOptedOutException(send.request.to()));
      return;
    }
    if (stillToSend(send)) { // again: the gateway may have closed while the store answered
      submitChecked(send);
    }
  }

  /** False when the send has ended already, or failed it now when the gateway has closed. */
  private boolean stillToSend(Send send) {
    if (send.done.get()) {
      return false;
    }
    if (closed) {
      fail(send, new SmsTransportException("the gateway closed before the message was sent", send.provider, null,
          false, null));
      return false;
    }
    return true;
  }

  /** Submits a send whose customer was just checked (or that needs no check): compliance, budget, the provider. */
  private void submitChecked(Send send) {
    PhoneNumber to = send.request.to();
    if (compliance != null) { // consent withdrawn (or a scoped opt-out) while the send waited
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

  /**
   * The provider took the message: its record (provider set, ids linked) is written in one store call that does not
   * block this thread (a provider's I/O thread); once it is durable, on the callback executor (or right here when the
   * store answered at once), every listener gets onSent, the future completes, and the reports that overtook the
   * send are applied.
   */
  private void onProviderAccepted(Send send, SendReceipt receipt) {
    if (send.done.get()) {
      return; // failed meanwhile (the gateway closed): its record says so
    }
    List<String> ids = receipt.providerMessageIds();
    boolean perPart = ids.size() == receipt.parts();
    String linkProvider = perPart ? send.provider : ReportCorrelator.wholeMessageKey(send.provider);
    MessageRecord record = send.acceptedRecord().withProvider(send.provider, clock.instant());
    CompletableFuture<Void> written;
    try {
      written = messageStore.recordSentAsync(record, linkProvider, ids);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    whenDone(written, error -> {
      if (error != null) {
        // The message left, but we could not record it: report it possibly delivered (never retried blindly).
        log.warn("message {}: the provider took it, but recording it failed", send.messageId, error);
        fail(send, new SmsTransportException("the provider took the message, but recording it failed: " + error,
            send.provider, null, true, error));
        return;
      }
      reports.linked(linkProvider, ids, send.messageId);
      announceSent(send, receipt);
    });
  }

  /** What a future failed with: {@code e}, or the cause a {@link CompletionException} wraps. */
  private static Throwable cause(RuntimeException e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** Runs {@code then} now if {@code stage} is done, otherwise on the callback executor once it is. */
  private void whenDone(CompletableFuture<?> stage, java.util.function.Consumer<Throwable> then) {
    Runnable guarded = () -> {
      Throwable error = null;
      try {
        stage.join();
      } catch (RuntimeException e) {
        error = cause(e);
      }
      then.accept(error);
    };
    if (stage.isDone()) {
      guarded.run();
      return;
    }
    stage.whenComplete((v, e) -> callbacks.execute(guarded)); // never dropped: run here once the gateway closes
  }

  private void announceSent(Send send, SendReceipt receipt) {
    if (!send.done.compareAndSet(false, true)) {
      return;
    }
    log.debug("message {} to {} accepted by {} as {}", send.messageId, send.request.to(), send.provider,
        receipt.providerMessageIds());
    CompletableFuture<Void> parked = CompletableFuture.completedFuture(null);
    try {
      listeners.notify(l -> l.onSent(receipt));
      send.result.complete(receipt);
      // The ids were linked before onSent; reports that found the link meanwhile were held for settle(). Now apply
      // the ones that overtook the link (parked), after every listener has seen the receipt: taken from the store
      // without blocking this thread, and held too (the send has not settled), so they come before the others.
      parked = reports.applyParked(send, receipt.providerMessageIds());
    } finally {
      if (parked.isDone()) {
        settle(send);
      } else {
        parked.whenComplete((v, e) -> settle(send));
      }
    }
  }

  /**
   * The send's outcome has been announced to every listener: from now on its reports go straight to them. Applies
   * the reports that arrived meanwhile (held by {@link ReportCorrelator#onDeliveryReport}), in the order they came.
   */
  private void settle(Send send) {
    List<Send.Held> held = send.settle();
    inFlight.remove(send);
    if (!held.isEmpty()) {
      applyHeld(send, held, 0);
    }
  }

  /**
   * Applies {@code held} from index {@code i} on, one after the other: each merge is written without blocking this
   * thread, and the next report goes once the listeners were told of the one before.
   */
  private void applyHeld(Send send, List<Send.Held> held, int i) {
    for (; i < held.size(); i++) {
      log.debug("applying a report for message {} that arrived before its send ended", send.messageId);
      Send.Held report = held.get(i);
      CompletableFuture<Void> applied;
      try {
        applied = reports.onDeliveryReportAsync(send.provider, report.report());
      } catch (RuntimeException e) {
        applied = CompletableFuture.failedFuture(e);
      }
      if (!applied.isDone()) {
        int next = i + 1;
        applied.whenComplete((v, e) -> {
          heldDone(send, report, e);
          applyHeld(send, held, next);
        });
        return;
      }
      heldDone(send, report, applied.isCompletedExceptionally() ? applied.handle((v, e) -> e).join() : null);
    }
  }

  /**
   * A held report is applied (or failed to be): a provider that waits to answer its peer until then (an SMPP
   * receipt's deliver_sm_resp) answers now, with an error when it failed, so that the peer delivers it again.
   */
  private static void heldDone(Send send, Send.Held report, Throwable error) {
    if (error != null) {
      log.warn("message {}: applying a held delivery report failed", send.messageId, error);
    }
    CompletableFuture<Void> waiting = report.applied();
    if (waiting != null) {
      if (error == null) {
        waiting.complete(null);
      } else {
        waiting.completeExceptionally(error);
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
      Instant now = clock.instant();
      String code = error.providerCode().orElse(null);
      if (messageStore.applyReport(send.messageId, -1, status, code, now).isEmpty()) {
        // the usual case: the record is written once, at the end, and this is the end
        messageStore.save(send.acceptedRecord().merge(-1, status, code, now));
      }
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
