package dev.smsgateway;

import java.util.concurrent.CompletableFuture;

/**
 * One configured SMS back end: an SMPP bind group, a Twilio account, an AWS End User Messaging account in a region.
 * This is the extension point provider modules implement; applications usually hold an {@link SmsGateway}, which
 * adds normalization, opt-out checks, throttling, retries, de-duplication and failover on top.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@link #send} never blocks the caller and never throws: every failure completes the future exceptionally
 *       with an {@link SmsException} (validation, configuration, rejected, opted out, throttled, transport).
 *   <li>A timeout after the request left the process completes with an {@link SmsTransportException} whose
 *       {@link SmsException#possiblyDelivered()} is true. Implementations do not retry on their own.
 *   <li>Inbound messages and delivery reports go to the listener given to {@link #start}; if it throws, the peer is
 *       told the message was not taken.
 *   <li>{@link #close} is idempotent and releases every thread and socket; sends still pending fail with an
 *       {@link SmsTransportException}.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface SmsProvider extends AutoCloseable {

  /** The name of this provider instance, unique within a gateway (for example {@code smpp-primary}). */
  String name();

  /** What this provider can do. */
  ProviderCapabilities capabilities();

  /**
   * Starts connecting (binding, for SMPP) and delivering inbound traffic to {@code listener}. Returns at once; the
   * state is reported through {@link ProviderListener#onStateChange}. Calling it twice is an error.
   */
  void start(ProviderListener listener);

  /**
   * Submits one message. The request is already normalized and planned by the caller.
   *
   * @return a future completed with the provider's receipt, or exceptionally with an {@link SmsException}
   */
  CompletableFuture<SendReceipt> send(SubmitRequest request);

  /** Stops the provider and releases its resources. Idempotent. */
  @Override
  void close();
}
