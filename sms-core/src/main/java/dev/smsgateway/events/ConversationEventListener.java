package dev.smsgateway.events;

/**
 * Receives the events of the streams attached to a {@link ConversationEvents.Subscription}.
 *
 * <p>Threads: called on the subscription's own delivery thread, one event at a time, in stream order. It must be fast
 * (hand slow work to an executor); an exception it throws is logged and contained: the event counts as delivered
 * and the next one follows.
 */
@FunctionalInterface
public interface ConversationEventListener {

  /** {@code event} (with its {@link ConversationEvent#position()}) for one of the subscription's streams. */
  void onEvent(ConversationEvent event);
}
