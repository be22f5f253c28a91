package dev.smsgateway.test;

import dev.smsgateway.events.ConversationEvent;
import dev.smsgateway.events.ConversationEventBus;
import dev.smsgateway.events.ConversationEventListener;
import dev.smsgateway.events.ConversationEvents;
import dev.smsgateway.events.InMemoryConversationEventLog;
import java.time.Instant;
import java.util.List;

/**
 * The in-memory bus. Several "instances" are several buses over one log that hear of each other's publishes through
 * {@link InMemoryConversationEventLog#onAppend}; none polls, so every delivery here comes from a wake-up.
 */
class InMemoryConversationEventsCompatibilityTest extends ConversationEventsCompatibilityKit {

  private InMemoryConversationEventLog log;

  @Override
  protected void freshBackend() {
    log = new InMemoryConversationEventLog();
  }

  @Override
  protected ConversationEvents newInstance() {
    ConversationEventBus bus = ConversationEventBus.builder(log).clock(clock).claimLease(claimLease()).build();
    AutoCloseable notifications = log.onAppend(e -> bus.wake(e.stream()));
    return new ConversationEvents() {
      @Override
      public ConversationEvent publish(ConversationEvent event) {
        return bus.publish(event);
      }

      @Override
      public Subscription subscribe(String name, ConversationEventListener listener) {
        return bus.subscribe(name, listener);
      }

      @Override
      public List<ConversationEvent> read(String stream, long afterPosition, int limit) {
        return bus.read(stream, afterPosition, limit);
      }

      @Override
      public int purgeBefore(Instant cutoff) {
        return bus.purgeBefore(cutoff);
      }

      @Override
      public void close() {
        try {
          notifications.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        bus.close();
      }
    };
  }
}
