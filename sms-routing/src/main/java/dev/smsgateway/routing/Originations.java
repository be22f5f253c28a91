package dev.smsgateway.routing;

import dev.smsgateway.SmsException;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The originator record of an agent's outbound message: written before the send (so that a reply which overtakes the
 * send's response still finds its agent) and taken back when the send failed for certain, so that no reply is ever
 * routed by a message that never left. A send whose outcome is unknown ({@link SmsException#possiblyDelivered()}, or
 * an error that is not an {@link SmsException}) keeps its record: the message may have arrived. Thread-safe.
 */
final class Originations {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

  private final OriginatorStore store;
  private final Clock clock;

  /** A record written for a send in progress, and the record it replaced (null when none was live). */
  record Claim(OriginatorRecord record, OriginatorRecord previous) {}

  Originations(OriginatorStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Writes {@code record}, remembering the live record it replaces; the future completes once it is stored, on the
   * store's thread (or at once, for a store that answers at once).
   */
  CompletableFuture<Claim> claim(OriginatorRecord record) {
    return store.replaceAsync(record).thenApply(previous -> new Claim(record, previous.orElse(null)));
  }

  /**
   * The send of {@code claim} ended with {@code error}. When it certainly did not reach the customer, puts back the
   * record it replaced (if still live) or removes it, unless a newer origination has replaced it since.
   */
  void failed(Claim claim, Throwable error) {
    Throwable cause = cause(error);
    OriginatorRecord mine = claim.record();
    if (!(cause instanceof SmsException e) || e.possiblyDelivered()) {
      log.info("agent {}'s message to {} may have been delivered ({}); its originator record stays", mine.agentId(),
          mine.customer(), cause.getClass().getSimpleName());
      return;
    }
    withdraw(claim, cause);
  }

  /**
   * Nothing was sent for {@code claim} ({@code error} says why): puts back the record it replaced (if still live) or
   * removes it, unless a newer origination has replaced it since.
   */
  void withdraw(Claim claim, Throwable error) {
    Throwable cause = cause(error);
    OriginatorRecord mine = claim.record();
    OriginatorRecord current = store.find(mine.customer(), mine.business()).orElse(null);
    if (current == null || !sameOrigination(current, mine)) {
      return;
    }
    OriginatorRecord previous = claim.previous();
    if (previous != null && previous.isLiveAt(clock.instant())) {
      store.put(previous);
    } else {
      store.remove(mine.customer(), mine.business());
    }
    log.info("agent {}'s message to {} was not sent ({}); its originator record is withdrawn", mine.agentId(),
        mine.customer(), cause.getClass().getSimpleName());
  }

  /** {@code error} without the {@link CompletionException} a future wraps it in. */
  private static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private static boolean sameOrigination(OriginatorRecord a, OriginatorRecord b) {
    return a.agentId().equals(b.agentId()) && a.createdAt().equals(b.createdAt())
        && Objects.equals(a.outboundText(), b.outboundText());
  }
}
