package dev.smsgateway;

import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.SegmentPlan;
import dev.smsgateway.text.SmsEncoding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepting a send: checks it (provider, numbers, parts, media, opt-out) and claims its idempotency key (a repeated
 * key gets the first send's outcome). The message record is not written here but once, when the send ends
 * ({@link SendPipeline}).
 */
final class SendAcceptor {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);

  private final Map<String, SmsProvider> providers;
  private final String primary;
  private final String defaultRegion;
  private final NumberCheck numberCheck;
  private final int maxParts;
  private final OptOutStore optOutStore;
  private final MessageStore messageStore;
  private final Clock clock;
  private final Duration idempotencyTtl;
  private final dev.smsgateway.compliance.Compliance compliance; // null without a compliance engine
  // Results of sends that had an idempotency key, by our message id, kept for the key's TTL.
  private final Map<String, Keyed> keyed = new ConcurrentHashMap<>();

  SendAcceptor(Map<String, SmsProvider> providers, String primary, String defaultRegion, NumberCheck numberCheck,
      int maxParts, OptOutStore optOutStore, MessageStore messageStore, Clock clock, Duration idempotencyTtl,
      dev.smsgateway.compliance.Compliance compliance) {
    this.providers = providers;
    this.primary = primary;
    this.defaultRegion = defaultRegion;
    this.numberCheck = numberCheck;
    this.maxParts = maxParts;
    this.optOutStore = optOutStore;
    this.messageStore = messageStore;
    this.clock = clock;
    this.idempotencyTtl = idempotencyTtl;
    this.compliance = compliance;
  }

  /**
   * Accepts {@code sms} and hands the new send to {@code accepted}; returns the send's result (a copy), a duplicate's
   * first outcome, or a failed future when the message was refused or could not be recorded.
   */
  CompletableFuture<SendReceipt> accept(OutboundSms sms, Consumer<Send> accepted, Holder quietHours) {
    Send send;
    Optional<Instant> holdUntil = Optional.empty();
    try {
      // Not looked up again when the caller just looked in this very store (SendPipeline checks before the wire).
      // The caller's id when it gave one (OutboundSms.Builder#messageId: validated there, unique by contract).
      send = prepare(sms, sms.messageId().orElseGet(() -> UUID.randomUUID().toString()),
          sms.optOutChecked() != optOutStore);
      if (compliance != null) { // consent, scoped opt-out, quiet hours
        holdUntil = compliance.beforeAccept(sms, send.request.to(), send.request.from().orElse(null));
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
    String messageId = send.messageId;
    Optional<String> key = sms.idempotencyKey();
    // No write here: the message record is written once, when the send ends (SendPipeline), and status() answers
    // from memory meanwhile. Only an idempotency key is claimed now, so that a duplicate anywhere finds it.
    if (key.isPresent()) {
      try {
        Instant expiresAt = clock.instant().plus(idempotencyTtl);
        // Register before claiming, so a concurrent duplicate that loses the claim finds our future. A caller's id
        // registered already is this very send repeated (same id, same key): its first outcome.
        Keyed earlier = keyed.putIfAbsent(messageId, new Keyed(send.result, expiresAt));
        if (earlier != null) {
          log.debug("message id {} is being sent already; returning its result", messageId);
          return earlier.result.copy();
        }
        Optional<String> claimedBy = messageStore.claimIdempotencyKey(key.get(), messageId, expiresAt);
        if (claimedBy.isEmpty() && sms.messageId().isPresent() && messageStore.find(messageId).isPresent()) {
          // The store answers "claimed" for a repeat of the caller's own id too: a record means it was sent before.
          claimedBy = Optional.of(messageId);
        }
        if (claimedBy.isPresent()) {
          keyed.remove(messageId);
          return duplicateOf(claimedBy.get());
        }
      } catch (RuntimeException e) {
        keyed.remove(messageId);
        return CompletableFuture.failedFuture(new SmsTransportException("could not accept the message: " + e, null,
            null, false, e));
      }
    }
    if (holdUntil.isPresent()) { // held for quiet hours: the holder answers, nothing goes to a provider now
      keyed.remove(messageId);
      return quietHours.hold(send, holdUntil.get());
    }
    accepted.accept(send);
    return send.result.copy();
  }

  /** Where a send held for quiet hours goes (see {@link HeldSends}). */
  @FunctionalInterface
  interface Holder {
    CompletableFuture<SendReceipt> hold(Send send, Instant until);
  }

  /**
   * Checks {@code sms} as {@link #accept} does and makes it a send with the given id, without claiming a key or
   * recording anything: for a message held for quiet hours, accepted earlier, now released.
   */
  Send prepare(OutboundSms sms, String messageId) {
    return prepare(sms, messageId, true);
  }

  private Send prepare(OutboundSms sms, String messageId, boolean checkOptOut) {
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
    if (checkOptOut && !sms.keywordReply() && optOutStore.isOptedOut(to)) {
      throw new SmsOptedOutException(to);
    }
    SubmitRequest request = SubmitRequest.builder().messageId("pending").to(to).from(from).body(plan.text())
        .plan(plan).deliveryReport(sms.deliveryReport()).validity(sms.validity().orElse(null))
        .mediaUrls(sms.mediaUrls()).attributes(sms.attributes()).build();
    return new Send(messageId, sms, providerName, request, clock.instant());
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

  /** Forgets the results of keyed sends whose key expired. */
  void purge(Instant now) {
    keyed.values().removeIf(k -> !now.isBefore(k.expiresAt) && k.result.isDone());
  }

  private record Keyed(CompletableFuture<SendReceipt> result, Instant expiresAt) {}
}
