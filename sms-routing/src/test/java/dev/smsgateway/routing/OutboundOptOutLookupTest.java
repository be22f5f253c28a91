package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.test.RecordingSmsProvider;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An agent's first message through a gateway that shares the conversation service's opt-out store looks the customer
 * up twice (the service before the originator record is written, the gateway before the wire), not three times, and
 * an opt-out is still honoured.
 */
class OutboundOptOutLookupTest {

  private final TestWorld world = new TestWorld();
  private final CountingOptOuts optOuts = new CountingOptOuts(world.optOuts);
  private final RecordingSmsProvider smpp = RecordingSmsProvider.builder().name("smpp").clock(world.clock).build();
  private SmsGateway gateway;

  /** Counts look-ups, keeping the records in the world's store. */
  static final class CountingOptOuts implements OptOutStore {
    final AtomicInteger reads = new AtomicInteger();
    private final InMemoryOptOutStore delegate;

    CountingOptOuts(InMemoryOptOutStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void record(OptOutRecord record) {
      delegate.record(record);
    }

    @Override
    public boolean isOptedOut(PhoneNumber customer) {
      reads.incrementAndGet();
      return delegate.isOptedOut(customer);
    }

    @Override
    public Optional<OptOutRecord> find(PhoneNumber customer) {
      return delegate.find(customer);
    }
  }

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private ConversationService start() {
    ConversationService service = ConversationService.builder().configuration(TestWorld.configuration())
        .originatorStore(world.originators).optOutStore(optOuts).conversationStore(world.conversations)
        .clock(world.clock).contactFlowDelivery(TestWorld.NO_FLOWS).automaticSweeps(false).build();
    gateway = SmsGateway.builder().provider(smpp).defaultRegion("US").optOutStore(optOuts).clock(world.clock)
        .messageStore(new InMemoryMessageStore(world.clock)).inboundHandler(service)
        .listener(service.gatewayListener()).build();
    service.bind(gateway);
    gateway.start();
    return service;
  }

  @Test
  @DisplayName("startOutbound through a gateway on the same opt-out store: two look-ups, the message sent")
  void twoLookups() throws Exception {
    ConversationService service = start();
    service.startOutbound("alice", "+14155550199", "+14155550123", "Your order", null).get(5, TimeUnit.SECONDS);
    assertThat(optOuts.reads).hasValue(2);
    assertThat(smpp.submitted()).hasSize(1);
  }

  @Test
  @DisplayName("an opted-out customer is still refused, before anything is sent or recorded")
  void optedOutRefused() {
    ConversationService service = start();
    world.optOuts.record(new OptOutRecord(TestWorld.CUSTOMER, true, "STOP", "test", world.clock.instant()));
    assertThatThrownBy(() -> service.startOutbound("alice", "+14155550199", "+14155550123", "Your order", null)
        .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsOptedOutException.class);
    assertThat(smpp.submitted()).isEmpty();
    assertThat(world.originators.find(TestWorld.CUSTOMER, TestWorld.SALES_1)).isEmpty();
  }
}
