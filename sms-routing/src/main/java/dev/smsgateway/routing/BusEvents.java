package dev.smsgateway.routing;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's side of an events bus: the subscription that holds the streams of the agents registered here, and
 * the translation of what it receives back into {@link ConversationListener} calls, reading the conversation (and
 * the customer's message or the delivery report's message) from the stores the publishing instance wrote them to.
 * Called on the subscription's delivery thread, one event at a time, in each agent's order. Thread-safe.
 */
final class BusEvents implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  /** The provider named in rebuilt messages and reports when the conversation's mapping is gone. */
  private static final String UNKNOWN_PROVIDER = "unknown";

  private final ConversationStore conversations;
  private final Supplier<RoutingConfiguration> configuration;
  private final EventFanout fanout;
  private final ConversationEvents.Subscription subscription;

  BusEvents(ConversationEvents bus, String name, ConversationStore conversations,
      Supplier<RoutingConfiguration> configuration, EventFanout fanout) {
    this.conversations = conversations;
    this.configuration = configuration;
    this.fanout = fanout;
    this.subscription = bus.subscribe(name, this::onEvent);
  }

  /** The agent's events now reach this instance (it registered or changed presence here). */
  void attach(String agentId) {
    subscription.attach(agentId);
  }

  /** The agent's events stop reaching this instance; they wait in the bus for the next attach. */
  void detach(String agentId) {
    subscription.detach(agentId);
  }

  void onEvent(ConversationEvent event) {
    Optional<Conversation> found = conversations.find(event.conversationId());
    if (found.isEmpty()) {
      log.warn("event {} names a conversation the store does not have; dropped", event);
      return;
    }
    Conversation c = found.get();
    switch (event.type()) {
      case ASSIGNED -> fanout.emit(l -> l.onAssigned(c, event.stream(), event.detail()));
      case MESSAGE -> {
        InboundSms sms = inbound(c, event);
        if (sms != null) {
          fanout.emit(l -> l.onMessage(c, sms));
        }
      }
      case DELIVERY_REPORT -> {
        DeliveryStatus merged = DeliveryStatus.valueOf(event.detail());
        DeliveryReport report = DeliveryReport.builder().provider(provider(c)).messageId(event.messageId())
            .status(merged).occurredAt(event.at()).build();
        fanout.emit(l -> l.onDeliveryReport(c.id(), report, merged));
      }
      case QUEUED -> fanout.emit(l -> l.onQueued(c, event.queuePosition(), event.queueDepth()));
      case ENDED -> fanout.emit(l -> l.onEnded(c));
      case RELEASED -> fanout.emit(l -> l.onReleased(c, event.stream()));
      default -> log.warn("event {} of an unknown type; dropped", event);
    }
  }

  /** The customer's message as the publisher routed it, from the conversation's transcript. */
  private InboundSms inbound(Conversation c, ConversationEvent event) {
    List<TranscriptEntry> transcript = conversations.transcript(c.id());
    for (int i = transcript.size() - 1; i >= 0; i--) {
      TranscriptEntry e = transcript.get(i);
      if (e.direction() == TranscriptEntry.Direction.INBOUND && event.messageId().equals(e.messageId())) {
        return InboundSms.builder().provider(provider(c)).providerMessageId(e.messageId()).from(c.customer())
            .to(c.business()).body(e.text()).receivedAt(e.at()).build();
      }
    }
    log.warn("event {}: the transcript has no such inbound message; dropped", event);
    return null;
  }

  private String provider(Conversation c) {
    return configuration.get().mapping(c.mappingCode()).map(Mapping::provider).orElse(UNKNOWN_PROVIDER);
  }

  @Override
  public void close() {
    subscription.close();
  }
}
