package dev.smsgateway;

import dev.smsgateway.store.MessageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted message on its way through {@link SmsGateway}; fields change only on the thread that holds the send's
 * current step.
 */
final class Send {
  final String messageId;
  final OutboundSms sms;
  final SubmitRequest request;
  final CompletableFuture<SendReceipt> result = new CompletableFuture<>();
  final AtomicBoolean done = new AtomicBoolean();
  final Instant acceptedAt;
  // reports that arrived before the outcome was announced (null until one does); guarded by this
  private List<Held> held;
  private boolean settled;
  // how many of the held reports, at the front, were parked ones (they overtook the link: older than the rest)
  private int heldParked;
  volatile String provider;
  volatile int attempt = 1;
  volatile boolean failedOver;
  volatile BudgetGuard.Reservation spend;

  Send(String messageId, OutboundSms sms, String provider, SubmitRequest request, Instant acceptedAt) {
    this.messageId = messageId;
    this.acceptedAt = acceptedAt;
    this.sms = sms;
    this.request = request;
    this.provider = provider;
  }

  /**
   * A report kept until the send settles, and the future of a provider that waits to answer its peer until the report
   * is applied (null when none waits).
   */
  record Held(DeliveryReport report, CompletableFuture<Void> applied) {}

  /** Keeps {@code report} until {@link #settle}; false if the send has settled (apply it now). */
  synchronized boolean hold(DeliveryReport report) {
    return holdUntilApplied(report, null);
  }

  /**
   * Keeps {@code report} until {@link #settle}, with {@code applied} (may be null) to complete once it is applied;
   * false if the send has settled (apply it now).
   */
  synchronized boolean holdUntilApplied(DeliveryReport report, CompletableFuture<Void> applied) {
    if (settled) {
      return false;
    }
    if (held == null) {
      held = new ArrayList<>(2);
    }
    held.add(new Held(report, applied));
    return true;
  }

  /**
   * Keeps a report that was parked before the send linked its provider ids until {@link #settle}, ahead of the reports
   * held since the link (it is older than they are), after the parked ones kept before it; false if the send has
   * settled (apply it now).
   */
  synchronized boolean holdParked(DeliveryReport report) {
    if (settled) {
      return false;
    }
    if (held == null) {
      held = new ArrayList<>(2);
    }
    held.add(heldParked++, new Held(report, null));
    return true;
  }

  /** Marks the outcome announced and returns the reports held until now. */
  synchronized List<Held> settle() {
    settled = true;
    List<Held> taken = held == null ? List.of() : held;
    held = null;
    return taken;
  }

  /**
   * The message record as accepted (every part ACCEPTED, no provider yet): what {@link SmsGateway#status} answers while
   * the send is in flight, since the store gets the record once, when the send ends.
   */
  MessageRecord acceptedRecord() {
    return MessageRecord.accepted(messageId, null, request.to(), request.from().orElse(null),
        request.plan().partCount(), acceptedAt);
  }

  void failOver(String secondary) {
    provider = secondary;
    attempt = 1;
    failedOver = true;
  }
}
