package dev.smsgateway.routing;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.store.Conversation;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the service's events to its {@link ConversationListener}s, in the order the service raises them, on the
 * raising thread. A listener that throws is logged and skipped; the others still hear the event. This is the one place
 * events leave the service, so an events bus shared by several instances plugs in here. Thread-safe.
 */
final class EventFanout {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

  private final List<ConversationListener> listeners;

  EventFanout(Collection<ConversationListener> initial) {
    this.listeners = new CopyOnWriteArrayList<>(initial);
  }

  void add(ConversationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener == null"));
  }

  void assigned(Conversation conversation, String agentId, String whisper) {
    emit(l -> l.onAssigned(conversation, agentId, whisper));
  }

  void queued(Conversation conversation, int position, int depth) {
    emit(l -> l.onQueued(conversation, position, depth));
  }

  void message(Conversation conversation, InboundSms sms) {
    emit(l -> l.onMessage(conversation, sms));
  }

  void deliveryReport(String conversationId, DeliveryReport report, DeliveryStatus merged) {
    emit(l -> l.onDeliveryReport(conversationId, report, merged));
  }

  void ended(Conversation conversation) {
    emit(l -> l.onEnded(conversation));
  }

  void unrouted(InboundSms sms, String reason) {
    emit(l -> l.onUnrouted(sms, reason));
  }

  private void emit(Consumer<ConversationListener> event) {
    for (ConversationListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("conversation listener {} failed; ignored", l.getClass().getName(), e);
      }
    }
  }
}
