package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.store.Conversation;
import dev.smsgateway.test.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Timeouts fire without the application calling sweep(). */
class SweepSchedulingTest {

  private final TestWorld world = new TestWorld();
  /** The thread each conversation end was reported on. */
  private final BlockingQueue<Thread> endedOn = new ArrayBlockingQueue<>(10);

  private static RoutingConfiguration fastTimeouts() {
    return RoutingConfiguration.builder().addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("US")
        .chatControl(ChatControl.builder().idleTimeout(Duration.ofMinutes(1)).agentAcceptTimeout(Duration.ofSeconds(10)))
        .addNumber(n -> n.number(TestWorld.SALES_1.address()).displayName("Acme Sales").queue("sales"))).build();
  }

  /** Like the README's quick start: nothing about sweeping. */
  private ConversationService.Builder plainService() {
    return ConversationService.builder().configuration(fastTimeouts()).originatorStore(world.originators)
        .optOutStore(world.optOuts).conversationStore(world.conversations).clock(world.clock).sender(world.sender)
        .listener(new ConversationListener() {
          @Override
          public void onEnded(Conversation c) {
            endedOn.add(Thread.currentThread());
          }
        });
  }

  @Test
  @DisplayName("by default the service sweeps by itself: an idle conversation ends without any sweep() call")
  void sweepsByDefault() throws Exception {
    try (ConversationService service = plainService().build()) {
      OutboundConversation out = service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null)
          .get(5, TimeUnit.SECONDS);
      world.clock.advance(Duration.ofMinutes(1));
      Thread sweeper = endedOn.poll(5, TimeUnit.SECONDS);
      assertThat(sweeper).as("ended by the service's own sweep").isNotNull();
      assertThat(sweeper.isDaemon()).isTrue();
      assertThat(service.conversation(out.conversationId()).orElseThrow().endReason())
          .isEqualTo(Conversation.EndReason.IDLE_TIMEOUT);
      assertThat(world.sender.bodies()).contains(ChatControl.defaults().idleTimeoutMessage());

      service.close();
      sweeper.join(5_000);
      assertThat(sweeper.isAlive()).as("close() stops the service's own sweeping thread").isFalse();
    }
  }

  @Test
  @DisplayName("scheduleSweeps moves sweeping to the application's scheduler")
  void applicationScheduler() throws Exception {
    ManualScheduler scheduler = new ManualScheduler(world.clock);
    try (ConversationService service = plainService().build()) {
      service.scheduleSweeps(scheduler, Duration.ofSeconds(5));
      service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null).get(5, TimeUnit.SECONDS);
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(endedOn.poll(5, TimeUnit.SECONDS)).isSameAs(Thread.currentThread());
    }
  }

  @Test
  @DisplayName("the period is a tenth of the smallest timeout, between 1 and 30 seconds")
  void period() {
    assertThat(SweepScheduler.periodFor(fastTimeouts())).isEqualTo(Duration.ofSeconds(1));
    assertThat(SweepScheduler.periodFor(TestWorld.configuration())).isEqualTo(Duration.ofSeconds(6));
    RoutingConfiguration slow = RoutingConfiguration.builder().addMapping(Mapping.builder("slow").provider("smpp")
        .defaultCountry("US").chatControl(ChatControl.builder().idleTimeout(Duration.ofMinutes(60))
            .agentAcceptTimeout(Duration.ofMinutes(30)))
        .addNumber(n -> n.number(TestWorld.SALES_1.address()).displayName("Slow").queue("sales"))).build();
    assertThat(SweepScheduler.periodFor(slow)).isEqualTo(Duration.ofSeconds(30));
  }
}
