package dev.smsgateway;

import dev.smsgateway.store.MessageStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound messages from every provider: de-duplicated by provider message id (a mark in the message store), handed to
 * the inbound handler, then to the listeners. A handler that throws un-marks the message and throws on, so that the
 * provider delivers it again (nothing is acknowledged before it was handled).
 */
final class InboundIntake {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);

  private final MessageStore messageStore;
  private final Clock clock;
  private final Duration dedupeTtl;
  private final InboundHandler handler;
  private final GatewayListeners listeners;

  InboundIntake(MessageStore messageStore, Clock clock, Duration dedupeTtl, InboundHandler handler,
      GatewayListeners listeners) {
    this.messageStore = messageStore;
    this.clock = clock;
    this.dedupeTtl = dedupeTtl;
    this.handler = handler;
    this.listeners = listeners;
  }

  void onInbound(String providerName, InboundSms sms) {
    String key = "in:" + sms.provider() + ":" + sms.providerMessageId();
    if (!messageStore.markSeen(key, clock.instant().plus(dedupeTtl))) {
      log.debug("duplicate inbound {} from {} dropped", sms.providerMessageId(), providerName);
      return;
    }
    if (handler != null) {
      try {
        handler.handle(sms);
      } catch (RuntimeException e) {
        messageStore.unmarkSeen(key);
        log.warn("inbound {} from {} was refused by the handler; the provider will ask for a redelivery: {}",
            sms.providerMessageId(), providerName, e.toString());
        throw e;
      }
    }
    listeners.notify(l -> l.onInbound(sms));
  }
}
