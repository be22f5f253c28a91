package dev.smsgateway;

import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ProviderLink;
import dev.smsgateway.store.ReportMerge;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery reports: finds the message a provider id belongs to (per part, or whole-message links for providers that
 * return one id for all parts), parks a report that overtook its send's response until the send links its ids, holds
 * a report that overtook the end of its send until every listener has seen onSent (or onFailed), and merges the rest
 * into the message record, telling the listeners only when the merge changed something.
 */
final class ReportCorrelator {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);

  private final MessageStore messageStore;
  private final Clock clock;
  private final Duration parkTtl;
  private final InFlightSends inFlight;
  private final GatewayListeners listeners;
  private final Executor callbacks;
  // links this gateway committed lately: most reports find their message here, without a store read
  private final RecentLinks recent = new RecentLinks(65_536);

  /**
   * {@code callbacks} is where the work goes on that follows a store's later answer (listeners told, parked reports
   * applied): it must never drop a task (see {@code SmsGateway.neverDropping}).
   */
  ReportCorrelator(MessageStore messageStore, Clock clock, Duration parkTtl, InFlightSends inFlight,
      GatewayListeners listeners, Executor callbacks) {
    this.messageStore = messageStore;
    this.clock = clock;
    this.parkTtl = parkTtl;
    this.inFlight = inFlight;
    this.listeners = listeners;
    this.callbacks = callbacks;
  }

  void onDeliveryReport(String providerName, DeliveryReport report) {
    String messageId = report.messageId().orElse(null);
    int part = report.part();
    if (messageId == null) {
      Optional<ProviderLink> link = findLink(providerName, report.providerMessageId());
      if (link.isEmpty()) {
        // The report overtook the send's response: park it; the send links and applies it. Check again after
        // parking, in case the link was made in between (then whoever takes the parked report applies it).
        messageStore.park(report, clock.instant().plus(parkTtl));
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
    Optional<ReportMerge> merge = messageStore.mergeReport(id, part, report.status(),
        report.errorCode().orElse(null), clock.instant());
    told(id, part, report, merge);
  }

  /**
   * Applies the reports parked for the send's provider ids (linked already: a parked report overtook the link), taken
   * from the store without blocking this thread; the future completes once every one is applied (held by the send,
   * which has not settled yet). Where the store answers later, the reports are applied on the callback executor.
   */
  CompletableFuture<Void> applyParked(Send send, List<String> providerMessageIds) {
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    for (String id : providerMessageIds) {
      done = done.thenCompose(x -> {
        CompletableFuture<List<DeliveryReport>> taken;
        try {
          taken = messageStore.takeParkedAsync(send.provider, id);
        } catch (RuntimeException e) {
          taken = CompletableFuture.failedFuture(e);
        }
        if (taken.isDone()) {
          apply(send, taken);
          return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<List<DeliveryReport>> answer = taken;
        // nothing parked (the usual answer): settle right where the answer arrives; otherwise apply on the executor
        return answer.handle((r, e) -> e != null || !r.isEmpty()).thenCompose(work -> work
            ? CompletableFuture.runAsync(() -> apply(send, answer), callbacks)
            : CompletableFuture.completedFuture(null));
      });
    }
    return done;
  }

  private void apply(Send send, CompletableFuture<List<DeliveryReport>> taken) {
    List<DeliveryReport> reports;
    try {
      reports = taken.join();
    } catch (RuntimeException e) {
      log.warn("message {}: taking the delivery reports parked for it failed; they stay parked until they expire",
          send.messageId, e);
      return;
    }
    for (DeliveryReport parked : reports) {
      log.debug("applying a parked report for message {}", send.messageId);
      try {
        applyParked(send, parked);
      } catch (RuntimeException e) {
        log.warn("message {}: applying a parked delivery report failed", send.messageId, e);
      }
    }
  }

  /**
   * A parked report of {@code send} (it overtook the link): held ahead of the reports that found the link while the
   * send was ending (taking the parked ones may outlast their arrival), since it is older than they are.
   */
  private void applyParked(Send send, DeliveryReport parked) {
    Optional<ProviderLink> link = parked.messageId().isPresent() ? Optional.empty()
        : findLink(send.provider, parked.providerMessageId());
    if (link.isPresent() && link.get().messageId().equals(send.messageId)) {
      int part = parked.part() >= 0 ? parked.part() : link.get().part();
      if (send.holdParked(parked.toBuilder().messageId(send.messageId).part(part).build())) {
        return;
      }
    }
    onDeliveryReport(send.provider, parked);
  }

  /**
   * {@link #onDeliveryReport} of a report held for a send that has just settled, without blocking this thread on the
   * merge: the future completes once the merge is durable and the listeners were told (on the callback executor where
   * the store answered later), or failed with the store's error. A report without a message id whose provider id this
   * gateway did not link lately is applied on this thread, as {@code onDeliveryReport} does.
   */
  CompletableFuture<Void> onDeliveryReportAsync(String providerName, DeliveryReport report) {
    String messageId = report.messageId().orElse(null);
    int part = report.part();
    if (messageId == null) {
      ProviderLink known = recentLink(providerName, report.providerMessageId());
      if (known == null) {
        onDeliveryReport(providerName, report);
        return CompletableFuture.completedFuture(null);
      }
      messageId = known.messageId();
      if (part < 0) {
        part = known.part();
      }
    }
    String id = messageId;
    Send sending = inFlight.get(id);
    if (sending != null) {
      // held until the send ends; the future (the provider's answer to its peer) completes once it is applied, so a
      // report is never acknowledged before it is stored
      CompletableFuture<Void> applied = new CompletableFuture<>();
      if (sending.holdUntilApplied(report.toBuilder().messageId(id).part(part).build(), applied)) {
        log.debug("report for message {} held until its send ends", id);
        return applied;
      }
    }
    int merged = part;
    CompletableFuture<Optional<ReportMerge>> merge = messageStore.mergeReportAsync(id, part, report.status(),
        report.errorCode().orElse(null), clock.instant());
    if (merge.isDone()) {
      told(id, merged, report, merge.join());
      return CompletableFuture.completedFuture(null);
    }
    return merge.thenAcceptAsync(m -> told(id, merged, report, m), callbacks);
  }

  /** Tells the listeners of a merged report, when the merge changed something. */
  private void told(String id, int part, DeliveryReport report, Optional<ReportMerge> merge) {
    if (merge.isPresent() && !merge.get().changed()) {
      log.debug("report for message {} changed nothing (duplicate or late)", id);
      return;
    }
    DeliveryStatus merged = merge.map(m -> m.record().status()).orElse(report.status());
    DeliveryReport correlated = report.toBuilder().messageId(id).part(part).build();
    listeners.notify(l -> l.onDeliveryReport(correlated, merged));
  }

  /** A link this gateway committed lately (per part, or whole-message), or null. */
  private ProviderLink recentLink(String providerName, String providerMessageId) {
    ProviderLink known = recent.find(providerName, providerMessageId);
    if (known != null) {
      return known;
    }
    known = recent.find(wholeMessageKey(providerName), providerMessageId);
    return known == null ? null : new ProviderLink(known.messageId(), -1);
  }

  /** Remembers the links of a send whose record (with these links) is committed. */
  void linked(String linkProvider, List<String> providerMessageIds, String messageId) {
    recent.remember(linkProvider, providerMessageIds, messageId);
  }

  /** A per-part link, or a whole-message link (part -1) for providers that return one id for all parts. */
  private Optional<ProviderLink> findLink(String providerName, String providerMessageId) {
    ProviderLink known = recentLink(providerName, providerMessageId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<ProviderLink> link = messageStore.findLink(providerName, providerMessageId);
    if (link.isPresent()) {
      return link;
    }
    return messageStore.findLink(wholeMessageKey(providerName), providerMessageId)
        .map(l -> new ProviderLink(l.messageId(), -1));
  }

  static String wholeMessageKey(String providerName) {
    return providerName + "/*";
  }
}
