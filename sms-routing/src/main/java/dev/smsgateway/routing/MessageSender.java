package dev.smsgateway.routing;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.SendReceipt;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a message for the {@link ConversationService}: in practice {@code gateway::send} of an
 * {@link dev.smsgateway.SmsGateway}, which normalizes, checks opt-outs, throttles, retries and de-duplicates.
 *
 * <p>Implementations are thread-safe, never block and never throw: failures complete the future exceptionally.
 */
@FunctionalInterface
public interface MessageSender {

  /** Sends one message. */
  CompletableFuture<SendReceipt> send(OutboundSms sms);
}
