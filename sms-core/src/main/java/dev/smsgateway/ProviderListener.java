package dev.smsgateway;

/**
 * Receives what a provider hears from its peer: inbound messages, delivery reports, connection changes. The
 * {@link SmsGateway} registers one when it starts a provider; applications normally listen on the gateway instead.
 *
 * <p>Threads: called on the provider's I/O or webhook thread, possibly on several threads at once. Implementations
 * must be thread-safe and fast; hand long work to an executor.
 *
 * <p>Exceptions: if {@link #onInbound} or {@link #onDeliveryReport} throws, the provider tells its peer that the
 * message was not taken (SMPP: a {@code deliver_sm_resp} with an error status; webhooks: HTTP 503), so that the peer
 * delivers it again. Nothing is acknowledged that was not handled. An exception from {@link #onStateChange} is
 * logged and contained.
 */
public interface ProviderListener {

  /** An inbound (mobile-originated) message, already reassembled if it came in parts. */
  void onInbound(InboundSms sms);

  /** A delivery report for a message this provider sent. */
  void onDeliveryReport(DeliveryReport report);

  /**
   * {@link #onDeliveryReport} without blocking the calling thread where the listener can: the future completes once
   * the report is handled (what {@code onDeliveryReport} has done when it returns), or fails with what it would have
   * thrown. A provider that answers its peer after handling (SMPP: the {@code deliver_sm_resp}) may call this instead
   * and answer when the future completes, so that its threads do not wait for the listener's store. The future may
   * complete on a thread of the listener's: answer from there, do nothing long. The default calls
   * {@link #onDeliveryReport} and returns a completed future (failed with what it threw).
   */
  default java.util.concurrent.CompletableFuture<Void> onDeliveryReportAsync(DeliveryReport report) {
    try {
      onDeliveryReport(report);
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /** The provider's connection state changed; {@code detail} is a short human-readable reason, never a secret. */
  default void onStateChange(String provider, ProviderState state, String detail) {}

  /** A listener that drops everything; for providers used only to send. */
  ProviderListener NONE = new ProviderListener() {
    @Override
    public void onInbound(InboundSms sms) {}

    @Override
    public void onDeliveryReport(DeliveryReport report) {}
  };
}
