package dev.smsgateway.routing;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the service's events to its {@link ConversationListener}s. This is the one place events leave the service.
 *
 * <p>Without an events bus, every event goes to this instance's listeners, in the order the service raises them, on
 * the raising thread. With one ({@link ConversationService.Builder#events}), an event of a conversation an agent has
 * (assigned, message, delivery report, ended, released) is only published to the agent's stream: the instance the agent is
 * registered on receives it from the bus ({@link BusEvents}) and calls its listeners then, so no instance hears it
 * twice. Events without an agent (a conversation waiting in a queue or in a contact flow, an unrouted message) stay
 * on the raising instance, as without a bus; {@code onQueued} is also published to {@code queue:<code>} for watchers
 * (a supervisor view) that attach that stream.
 *
 * <p>A listener that throws is logged and skipped; the others still hear the event. Thread-safe.
 */
final class EventFanout {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

  /** The stream prefix of a queue's {@link ConversationEvent.Type#QUEUED} events. */
  static final String QUEUE_STREAM_PREFIX = "queue:";

  private final List<ConversationListener> listeners;
  private final ConversationEvents bus;
  private final ConversationStore conversations;
  private final Clock clock;

  EventFanout(Collection<ConversationListener> initial) {
    this(initial, null, null, Clock.systemUTC());
  }

  /** With {@code bus} null, every event is delivered here, as by {@link #EventFanout(Collection)}. */
  EventFanout(Collection<ConversationListener> initial, ConversationEvents bus, ConversationStore conversations,
      Clock clock) {
    this.listeners = new CopyOnWriteArrayList<>(initial);
    this.bus = bus;
    this.conversations = conversations;
    this.clock = clock;
  }

  void add(ConversationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener == null"));
  }

  void assigned(Conversation conversation, String agentId, String whisper) {
    if (bus != null) {
      publish(ConversationEvent.assigned(agentId, conversation.id(), whisper, clock.instant()));
    } else {
      emit(l -> l.onAssigned(conversation, agentId, whisper));
    }
  }

  void queued(Conversation conversation, int position, int depth) {
    emit(l -> l.onQueued(conversation, position, depth));
    if (bus != null && conversation.target() instanceof RouteTarget.Queue queue && position >= 1) {
      publish(ConversationEvent.queued(QUEUE_STREAM_PREFIX + queue.queueCode(), conversation.id(), position,
          Math.max(position, depth), clock.instant()));
    }
  }

  void message(Conversation conversation, InboundSms sms) {
    String agent = agentOf(conversation);
    if (agent != null) {
      publish(ConversationEvent.message(agent, conversation.id(), sms.providerMessageId(), clock.instant()));
    } else {
      emit(l -> l.onMessage(conversation, sms));
    }
  }

  void deliveryReport(String conversationId, DeliveryReport report, DeliveryStatus merged) {
    String agent = null;
    String messageId = report.messageId().orElse(null);
    if (bus != null && messageId != null) {
      agent = conversations.find(conversationId).map(this::agentOf).orElse(null);
    }
    if (agent != null) {
      publish(ConversationEvent.deliveryReport(agent, conversationId, messageId, merged.name(), clock.instant()));
    } else {
      emit(l -> l.onDeliveryReport(conversationId, report, merged));
    }
  }

  void ended(Conversation conversation) {
    String agent = agentOf(conversation);
    if (agent != null) {
      String reason = conversation.endReason() == null ? "UNKNOWN" : conversation.endReason().name();
      publish(ConversationEvent.ended(agent, conversation.id(), reason, clock.instant()));
    } else {
      emit(l -> l.onEnded(conversation));
    }
  }

  /** The open conversation left {@code agentId} (released, not accepted in time, agent offline); now {@code c}. */
  void released(Conversation c, String agentId) {
    if (bus != null) {
      publish(ConversationEvent.released(agentId, c.id(), clock.instant()));
    } else {
      emit(l -> l.onReleased(c, agentId));
    }
  }

  void unrouted(InboundSms sms, String reason) {
    emit(l -> l.onUnrouted(sms, reason));
  }

  /** The agent whose stream gets the conversation's events with a bus; null without a bus or without an agent. */
  private String agentOf(Conversation conversation) {
    if (bus != null && conversation.target() instanceof RouteTarget.Agent agent) {
      return agent.agentId();
    }
    return null;
  }

  private void publish(ConversationEvent event) {
    try {
      bus.publish(event);
    } catch (RuntimeException e) {
      // The bus is unreachable: the event's facts are in the stores; the listeners miss this notification.
      log.warn("publishing {} failed; the agent's listeners miss it", event, e);
    }
  }

  /** Calls every listener of this instance (also used by {@link BusEvents} for events received from the bus). */
  void emit(Consumer<ConversationListener> event) {
    for (ConversationListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("conversation listener {} failed; ignored", l.getClass().getName(), e);
      }
    }
  }
}
