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
