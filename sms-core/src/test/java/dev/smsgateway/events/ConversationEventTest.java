package dev.smsgateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConversationEventTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  @DisplayName("each factory carries its type's values, unpublished (position 0)")
  void factories() {
    assertThat(ConversationEvent.assigned("alice", "c1", "whisper", AT))
        .isEqualTo(new ConversationEvent("alice", 0, ConversationEvent.Type.ASSIGNED, "c1", null, "whisper", AT));
    assertThat(ConversationEvent.message("alice", "c1", "in-1", AT).messageId()).isEqualTo("in-1");
    ConversationEvent dlr = ConversationEvent.deliveryReport("alice", "c1", "m-1", "DELIVERED", AT);
    assertThat(dlr.type()).isEqualTo(ConversationEvent.Type.DELIVERY_REPORT);
    assertThat(dlr.detail()).isEqualTo("DELIVERED");
    ConversationEvent queued = ConversationEvent.queued("queue:support", "c1", 3, 7, AT);
    assertThat(queued.queuePosition()).isEqualTo(3);
    assertThat(queued.queueDepth()).isEqualTo(7);
    assertThat(dlr.queuePosition()).isEqualTo(-1);
    assertThat(ConversationEvent.ended("alice", "c1", "IDLE_TIMEOUT", AT).detail()).isEqualTo("IDLE_TIMEOUT");
    assertThat(ConversationEvent.released("alice", "c1", AT).detail()).isNull();
    assertThat(ConversationEvent.released("alice", "c1", AT).position()).isZero();
  }

  @Test
  @DisplayName("bad values are refused with the field named")
  void refused() {
    assertThatThrownBy(() -> ConversationEvent.message(null, "c", "m", AT)).isInstanceOf(NullPointerException.class)
        .hasMessage("stream == null");
    assertThatThrownBy(() -> ConversationEvent.message("", "c", "m", AT)).hasMessageContaining("stream");
    assertThatThrownBy(() -> ConversationEvent.message("a".repeat(257), "c", "m", AT)).hasMessageContaining("stream");
    assertThatThrownBy(() -> ConversationEvent.message("alice", "c", "", AT)).hasMessageContaining("messageId");
    assertThatThrownBy(() -> ConversationEvent.queued("q", "c", 0, 1, AT)).hasMessageContaining("queue position");
    assertThatThrownBy(() -> ConversationEvent.queued("q", "c", 3, 2, AT)).hasMessageContaining("queue position");
    assertThatThrownBy(() -> ConversationEvent.released("alice", "c", AT).withPosition(0))
        .hasMessageContaining("position");
    assertThatThrownBy(() -> ConversationEvent.deliveryReport("alice", "c", "m", null, AT))
        .hasMessage("status == null");
  }

  @Test
  @DisplayName("toString leaves out the detail, which may hold the agent's message text")
  void toStringWithoutText() {
    String text = ConversationEvent.assigned("alice", "c1", "Your table is ready", AT).toString();
    assertThat(text).contains("alice", "ASSIGNED", "c1").doesNotContain("table");
  }

  @Test
  @DisplayName("the bus builder refuses a negative poll interval and a batch below 1")
  void busBuilder() {
    InMemoryConversationEventLog log = new InMemoryConversationEventLog();
    assertThatThrownBy(() -> ConversationEventBus.builder(log).pollInterval(Duration.ofMillis(-1)))
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> ConversationEventBus.builder(log).batchSize(0)).hasMessageContaining("batchSize");
    try (ConversationEventBus bus = ConversationEventBus.builder(log).batchSize(1).build()) {
      assertThatThrownBy(() -> bus.read("alice", 0, 0)).hasMessageContaining("limit");
      bus.close();
      assertThatThrownBy(() -> bus.subscribe("x", e -> {})).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  @DisplayName("a batch of 1 still delivers a backlog completely and in order")
  void smallBatches() throws Exception {
    InMemoryConversationEventLog log = new InMemoryConversationEventLog();
    try (ConversationEventBus bus = ConversationEventBus.builder(log).batchSize(1).build()) {
      for (int i = 1; i <= 5; i++) {
        bus.publish(ConversationEvent.message("alice", "c", "in-" + i, AT));
      }
      java.util.concurrent.LinkedBlockingQueue<ConversationEvent> got = new java.util.concurrent.LinkedBlockingQueue<>();
      bus.subscribe("a", got::add).attach("alice");
      for (int i = 1; i <= 5; i++) {
        assertThat(got.poll(10, java.util.concurrent.TimeUnit.SECONDS)).extracting(ConversationEvent::position)
            .isEqualTo((long) i);
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (log.cursor("alice").delivered() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(5);   // the fifth acknowledgement follows its listener call
      }
      assertThat(log.cursor("alice")).isEqualTo(new EventCursor(5, null, 0, null));
    }
  }
}
