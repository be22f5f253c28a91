package dev.smsgateway;

/**
 * Observes what an {@link SmsGateway} does. Every message the gateway accepted ends in exactly one of
 * {@link #onSent} followed by delivery reports, or {@link #onFailed}. A delivery report is never announced before
 * every listener has returned from its message's {@code onSent} (or {@code onFailed}): a report that overtakes the
 * provider's answer (an SMPP receipt before its {@code submit_sm_resp}, a Twilio status callback or an AWS SMS event
 * before the API call returned) is held until then, on every provider.
 *
 * <p>Threads: called on provider I/O threads, webhook threads and the gateway's scheduler, possibly concurrently.
 * Implementations must be thread-safe and fast. An exception thrown by a listener is logged and contained: it never
 * changes the outcome of a send, and other listeners still run. (To refuse an inbound message so that the provider
 * delivers it again, throw from an {@link InboundHandler} instead.)
 */
public interface GatewayListener {

  /** The gateway accepted a send and assigned {@code messageId}. */
  default void onAccepted(String messageId, OutboundSms sms) {}

  /** A provider accepted the message. */
  default void onSent(SendReceipt receipt) {}

  /** The send failed for good (after any retries and failover); {@code error} says why. */
  default void onFailed(String messageId, SmsException error) {}

  /**
   * A delivery report, correlated to our message id when possible ({@link DeliveryReport#messageId()}), with
   * {@code merged} the message's status after merging all of its parts' reports.
   */
  default void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {}

  /** An inbound message, de-duplicated, after the {@link InboundHandler} took it. */
  default void onInbound(InboundSms sms) {}

  /** A send waited {@code wait} for {@code provider}'s throttle (parts per second) before it went out. */
  default void onThrottled(String provider, java.time.Duration wait) {}

  /**
   * A send waits {@code wait} for its sending number's throttle ({@link OriginatorThrottles}) before it goes to the
   * provider's throttle.
   */
  default void onOriginatorThrottled(Originator originator, java.time.Duration wait) {}

  /**
   * A {@link SpendingBudget} counter reached its warning share of its limit (80% by default): {@code scope} is
   * {@code gateway} or {@code provider <name>}, {@code period} {@code day 2026-01-31} or {@code month 2026-01}. Called
   * once per counter by the instance whose send crossed the line.
   */
  default void onBudgetThreshold(String scope, String period, java.math.BigDecimal spent, java.math.BigDecimal limit) {}

  /** A provider's connection state changed. */
  default void onProviderState(String provider, ProviderState state, String detail) {}
}
