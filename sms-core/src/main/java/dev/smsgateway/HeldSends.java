package dev.smsgateway;

import dev.smsgateway.compliance.Compliance;
import dev.smsgateway.compliance.HeldMessage;
import dev.smsgateway.store.MessageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends held for quiet hours by the {@link Compliance} engine: keeping them (in the engine's held-message store, with
 * the accepted message record beside them, so {@link SmsGateway#status} knows them) and releasing them, in order and
 * with their original message ids, into the send pipeline when their window has opened.
 */
final class HeldSends {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);
  static final Duration RELEASE_INTERVAL = Duration.ofSeconds(30);
  private static final int BATCH = 100;

  private final Compliance compliance;
  private final SendAcceptor acceptor;
  private final SendPipeline pipeline;
  private final InFlightSends inFlight;
  private final GatewayListeners listeners;
  private final MessageStore messageStore;
  private final Clock clock;

  HeldSends(Compliance compliance, SendAcceptor acceptor, SendPipeline pipeline, InFlightSends inFlight,
      GatewayListeners listeners, MessageStore messageStore, Clock clock) {
    this.compliance = compliance;
    this.acceptor = acceptor;
    this.pipeline = pipeline;
    this.inFlight = inFlight;
    this.listeners = listeners;
    this.messageStore = messageStore;
    this.clock = clock;
  }

  /** Keeps an accepted send until {@code until}; the receipt says until when (no provider call yet). */
  CompletableFuture<SendReceipt> hold(Send send, Instant until) {
    try {
      messageStore.save(send.acceptedRecord());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new SmsTransportException("could not accept the message: " + e, null,
          null, false, e));
    }
    try {
      compliance.hold(send.messageId, send.sms, send.request, send.provider, until);
    } catch (RuntimeException e) {
      messageStore.applyReport(send.messageId, -1, DeliveryStatus.FAILED, null, clock.instant());
      return CompletableFuture.failedFuture(new SmsTransportException("could not hold the message for quiet hours: "
          + e, null, null, false, e));
    }
    log.debug("message {} to {} held for quiet hours until {}", send.messageId, send.request.to(), until);
    listeners.notify(l -> l.onAccepted(send.messageId, send.sms));
    return CompletableFuture.completedFuture(new SendReceipt(send.messageId, send.provider, List.of(),
        send.request.plan().partCount(), clock.instant(), Map.of("heldUntil", until.toString())));
  }

  /**
   * Releases the held messages whose window has opened, in release order; returns how many. Each is claimed for a lease
   * and removed once its send's outcome is known, so a crash in between leaves it to be taken again (and sent, unless
   * its message record shows it was sent already).
   */
  int releaseDue(BooleanSupplier closing) {
    int released = 0;
    List<HeldMessage> due;
    do {
      due = compliance.takeDue(BATCH);
      due.forEach(this::release);
      released += due.size();
    } while (due.size() == BATCH && !closing.getAsBoolean());
    return released;
  }

  private void release(HeldMessage h) {
    if (inFlight.get(h.messageId()) != null) { // this gateway is still sending it (slower than the lease)
      return;
    }
    // sent (or failed) before a crash that kept it from being removed: never send it twice
    if (messageStore.find(h.messageId())
        .filter(r -> r.provider() != null || r.status().isFinal()).isPresent()) {
      log.debug("held message {} already sent or failed; removed", h.messageId());
      compliance.releasedOrFailed(h.messageId());
      return;
    }
    OutboundSms sms = Compliance.toOutboundSms(h);
    Send send;
    try {
      send = acceptor.prepare(sms, h.messageId());
    } catch (SmsException e) {
      messageStore.applyReport(h.messageId(), -1, DeliveryStatus.REJECTED, null, clock.instant());
      log.info("held message {} to {} not sent: {}", h.messageId(), h.to(), e.getMessage());
      listeners.notify(l -> l.onFailed(h.messageId(), e));
      compliance.releasedOrFailed(h.messageId());
      return;
    }
    // removed once the outcome is known; a crash before that leaves it held, taken again when its lease passes
    send.result.whenComplete((receipt, failure) -> removeQuietly(h.messageId()));
    inFlight.add(send);
    log.debug("held message {} to {} released", h.messageId(), h.to());
    pipeline.dispatch(send);
  }

  private void removeQuietly(String messageId) {
    try {
      compliance.releasedOrFailed(messageId);
    } catch (RuntimeException e) { // stays held: taken again after its lease and then removed without a send
      log.warn("could not remove released held message {}; retried after its lease", messageId, e);
    }
  }
}
