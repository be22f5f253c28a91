package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.RecordingSmsProvider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * startOutbound with stores that answer later (as the JDBC stores do, in their next group commit): the input is
 * checked at once; then the opt-out read and the originator claim are made together, the send follows once both are
 * in, and the call returns before any of them. The stores are the in-memory ones behind decorators whose async
 * methods answer when the test completes their gate; the send goes through a gateway to a recording provider.
 */
class AsyncOutboundStartTest {

  private final TestWorld world = new TestWorld();
  private final HeldOptOuts optOuts = new HeldOptOuts(world.optOuts);
  private final HeldOriginators originators = new HeldOriginators(world.originators);
  /** The originator record's message id found in the store when the provider got each message ("none" if none). */
  private final List<String> recordAtSubmit = new CopyOnWriteArrayList<>();
  private final RecordingSmsProvider smpp = RecordingSmsProvider.builder().name("smpp").clock(world.clock)
      .responder(request -> {
        recordAtSubmit.add(world.originators.find(CUSTOMER, SALES_1).map(OriginatorRecord::messageId)
            .orElse("none"));
        return RecordingSmsProvider.Outcome.accept();
      }).build();
  private SmsGateway gateway;
  private ConversationService service;

  @BeforeEach
  void start() {
    service = world.service().originatorStore(originators).optOutStore(optOuts).build();
    gateway = SmsGateway.builder().provider(smpp).defaultRegion("US").optOutStore(optOuts).clock(world.clock)
        .messageStore(new InMemoryMessageStore(world.clock)).inboundHandler(service)
        .listener(service.gatewayListener()).build();
    service.bind(gateway);
    gateway.start();
    service.registerAgent("alice", 2, java.util.Set.of());
    service.setPresence("alice", Presence.AVAILABLE);
  }

  @AfterEach
  void close() {
    gateway.close();
    service.close();
  }

  private CompletableFuture<OutboundConversation> startOutbound() {
    return service.startOutbound("alice", "+14155550199", "+14155550123", "Your order", null);
  }

  @Test
  @DisplayName("returns before the opt-out answer; the claim is written meanwhile; nothing is sent before both are "
      + "in; the record precedes the message")
  void stepsFollowTheAnswers() throws Exception {
    CompletableFuture<OutboundConversation> started = startOutbound();

    assertThat(started).as("returned before the opt-out answer").isNotDone();
    assertThat(optOuts.reads).hasSize(1);
    assertThat(originators.claims).as("the claim, written while the opt-out read is under way").hasSize(1);
    assertThat(smpp.submitted()).isEmpty();

    originators.claims.get(0).complete(null);
    assertThat(world.originators.find(CUSTOMER, SALES_1)).as("stored").isPresent();
    assertThat(smpp.submitted()).as("nothing sent before the opt-out answer").isEmpty();
    assertThat(optOuts.reads).as("the gateway was not asked yet").hasSize(1);
    assertThat(started).isNotDone();

    optOuts.reads.get(0).complete(null);
    assertThat(optOuts.reads).as("the gateway's own check before the wire, on the same store").hasSize(2);
    assertThat(smpp.submitted()).isEmpty();
    optOuts.reads.get(1).complete(null);
    OutboundConversation result = started.get(5, TimeUnit.SECONDS);

    assertThat(smpp.submitted()).hasSize(1);
    assertThat(smpp.submitted().get(0).messageId()).isEqualTo(result.messageId());
    assertThat(recordAtSubmit).as("the record stored when the provider got the message, with its id")
        .containsExactly(result.messageId());
    assertThat(service.conversation(result.conversationId())).isPresent();
  }

  @Test
  @DisplayName("the opt-out answer before the claim's: nothing is sent before the claim is stored")
  void answerBeforeClaim() throws Exception {
    CompletableFuture<OutboundConversation> started = startOutbound();
    optOuts.reads.get(0).complete(null);

    assertThat(optOuts.reads).as("the gateway was not asked yet").hasSize(1);
    assertThat(smpp.submitted()).as("nothing sent before the claim is stored").isEmpty();
    assertThat(started).isNotDone();

    originators.claims.get(0).complete(null);
    optOuts.reads.get(1).complete(null); // the gateway's check before the wire
    OutboundConversation result = started.get(5, TimeUnit.SECONDS);
    assertThat(recordAtSubmit).containsExactly(result.messageId());
  }

  @Test
  @DisplayName("a send refused after a claim answered later: the record is withdrawn, the one it replaced is back")
  void refusedSendWithdrawsTheClaim() {
    OriginatorRecord bobs = OriginatorRecord.of(CUSTOMER, SALES_1, "bob", "Earlier", "m-0", world.clock.instant(),
        TestWorld.TTL);
    world.originators.put(bobs);
    world.clock.advanceMillis(1000);
    smpp.enqueue(RecordingSmsProvider.Outcome.reject("0x00000045"));
    CompletableFuture<OutboundConversation> started = startOutbound();
    optOuts.reads.get(0).complete(null);
    originators.claims.get(0).complete(null);
    assertThat(world.originators.find(CUSTOMER, SALES_1).orElseThrow().agentId()).isEqualTo("alice");
    optOuts.reads.get(1).complete(null); // the gateway's check before the wire

    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(dev.smsgateway.SmsRejectedException.class);
    assertThat(smpp.submitted()).hasSize(1);
    assertThat(world.originators.find(CUSTOMER, SALES_1)).as("the replaced record is back").contains(bobs);
    assertThat(world.conversations.findOpen(CUSTOMER, SALES_1)).as("no conversation").isEmpty();
  }

  @Test
  @DisplayName("opted out (answered later): SmsOptedOutException; the claim written meanwhile is withdrawn, the "
      + "record it replaced is back; nothing sent")
  void optedOutLater() {
    OriginatorRecord bobs = OriginatorRecord.of(CUSTOMER, SALES_1, "bob", "Earlier", "m-0", world.clock.instant(),
        TestWorld.TTL);
    world.originators.put(bobs);
    world.clock.advanceMillis(1000);
    world.optOuts.record(new OptOutRecord(CUSTOMER, true, "STOP", "test", world.clock.instant()));
    CompletableFuture<OutboundConversation> started = startOutbound();
    assertThat(started).isNotDone();

    originators.claims.get(0).complete(null);
    assertThat(world.originators.find(CUSTOMER, SALES_1).orElseThrow().agentId()).isEqualTo("alice");
    optOuts.reads.get(0).complete(null);
    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsOptedOutException.class);
    assertThat(world.originators.find(CUSTOMER, SALES_1)).as("the replaced record is back").contains(bobs);
    assertThat(smpp.submitted()).isEmpty();
    assertThat(optOuts.reads).as("the gateway was never asked").hasSize(1);
    assertThat(world.conversations.findOpen(CUSTOMER, SALES_1)).as("no conversation").isEmpty();
  }

  @Test
  @DisplayName("opted out, answered before the claim is stored: the future fails once the claim is in, and it is "
      + "withdrawn (no record left)")
  void optedOutBeforeClaimStored() {
    world.optOuts.record(new OptOutRecord(CUSTOMER, true, "STOP", "test", world.clock.instant()));
    CompletableFuture<OutboundConversation> started = startOutbound();
    optOuts.reads.get(0).complete(null);
    assertThat(started).as("waits for the claim, so that the withdrawal follows it").isNotDone();

    originators.claims.get(0).complete(null);
    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsOptedOutException.class);
    assertThat(world.originators.find(CUSTOMER, SALES_1)).isEmpty();
    assertThat(smpp.submitted()).isEmpty();
  }

  @Test
  @DisplayName("opted out, and the claim's withdrawal fails: the caller still hears SmsOptedOutException")
  void optedOutWithdrawalFails() {
    world.optOuts.record(new OptOutRecord(CUSTOMER, true, "STOP", "test", world.clock.instant()));
    CompletableFuture<OutboundConversation> started = startOutbound();
    originators.claims.get(0).complete(null);
    originators.failRemoves = new SmsTransportException("connection lost", null, null, false, null);
    optOuts.reads.get(0).complete(null);

    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsOptedOutException.class);
    assertThat(smpp.submitted()).isEmpty();
  }

  @Test
  @DisplayName("opted out, store answering at once: the future is failed on return with that very exception")
  void optedOutAtOnce() {
    optOuts.answerAtOnce = true;
    world.optOuts.record(new OptOutRecord(CUSTOMER, true, "STOP", "test", world.clock.instant()));
    CompletableFuture<OutboundConversation> started = startOutbound();

    assertThat(started).isCompletedExceptionally();
    Throwable error = started.handle((r, e) -> e).join();
    assertThat(error).as("not wrapped").isInstanceOf(SmsOptedOutException.class);
    assertThat(originators.claims).isEmpty();
    assertThat(smpp.submitted()).isEmpty();
  }

  @Test
  @DisplayName("a failed claim fails the future with the store's error; nothing is sent")
  void claimFails() {
    CompletableFuture<OutboundConversation> started = startOutbound();
    optOuts.reads.get(0).complete(null);
    originators.claims.get(0).completeExceptionally(new SmsTransportException("disk full", null, null, false, null));

    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsTransportException.class).hasMessageContaining("disk full");
    assertThat(smpp.submitted()).isEmpty();
    assertThat(world.originators.find(CUSTOMER, SALES_1)).isEmpty();
  }

  @Test
  @DisplayName("a failed opt-out read (answered later) fails the future; the claim written meanwhile is withdrawn; "
      + "nothing is sent")
  void readFailsLater() {
    CompletableFuture<OutboundConversation> started = startOutbound();
    assertThat(started).isNotDone();
    originators.claims.get(0).complete(null);
    optOuts.reads.get(0).completeExceptionally(new SmsTransportException("connection lost", null, null, false,
        null));

    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsTransportException.class).hasMessageContaining("connection lost");
    assertThat(world.originators.find(CUSTOMER, SALES_1)).as("withdrawn").isEmpty();
    assertThat(smpp.submitted()).isEmpty();
  }

  @Test
  @DisplayName("a failed claim while the opt-out read is under way fails the future with the store's error; nothing "
      + "is sent")
  void claimFailsBeforeTheAnswer() {
    CompletableFuture<OutboundConversation> started = startOutbound();
    originators.claims.get(0).completeExceptionally(new SmsTransportException("disk full", null, null, false, null));

    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsTransportException.class).hasMessageContaining("disk full");
    optOuts.reads.get(0).complete(null);
    assertThat(smpp.submitted()).isEmpty();
    assertThat(world.originators.find(CUSTOMER, SALES_1)).isEmpty();
  }

  @Test
  @DisplayName("a store whose opt-out read throws: startOutbound returns a failed future, it does not throw")
  void readThrowsAtOnce() {
    optOuts.answerAtOnce = true;
    optOuts.failWith = new IllegalStateException("store closed");
    AtomicReference<CompletableFuture<OutboundConversation>> started = new AtomicReference<>();

    assertThatCode(() -> started.set(startOutbound())).doesNotThrowAnyException();
    assertThatThrownBy(() -> started.get().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("store closed");
    assertThat(originators.claims).isEmpty();
    assertThat(smpp.submitted()).isEmpty();
  }

  @Test
  @DisplayName("a store whose isOptedOutAsync throws instead of failing its future: a failed future, not thrown")
  void asyncReadThrows() {
    optOuts.throwFromAsync = new IllegalStateException("pool exhausted");
    AtomicReference<CompletableFuture<OutboundConversation>> started = new AtomicReference<>();

    assertThatCode(() -> started.set(startOutbound())).doesNotThrowAnyException();
    assertThatThrownBy(() -> started.get().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("pool exhausted");
    assertThat(originators.claims).isEmpty();
    assertThat(smpp.submitted()).isEmpty();
  }

  @Test
  @DisplayName("a store whose replaceAsync throws while the opt-out read is under way: a failed future, not thrown; "
      + "nothing is sent")
  void claimThrowsWhileReading() {
    originators.throwFromReplaceAsync = new IllegalStateException("pool exhausted");
    AtomicReference<CompletableFuture<OutboundConversation>> started = new AtomicReference<>();

    assertThatCode(() -> started.set(startOutbound())).doesNotThrowAnyException();
    assertThatThrownBy(() -> started.get().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("pool exhausted");
    optOuts.reads.get(0).complete(null);
    assertThat(smpp.submitted()).isEmpty();
    assertThat(world.originators.find(CUSTOMER, SALES_1)).isEmpty();
  }

  @Test
  @DisplayName("bad input fails the future at once, before any store is asked")
  void validationAtOnce() {
    CompletableFuture<OutboundConversation> blank = service.startOutbound("alice", "+14155550199",
        "+14155550123", "  ", null);
    CompletableFuture<OutboundConversation> unknown = service.startOutbound("alice", "+14155550142",
        "+14155550123", "Hi", null);

    assertThat(blank.handle((r, e) -> e).join()).isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("text");
    assertThat(unknown.handle((r, e) -> e).join()).isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("businessNumber");
    assertThat(optOuts.reads).isEmpty();
    assertThat(originators.claims).isEmpty();
  }

  /** isOptedOutAsync answers when the test completes its gate (or at once, the default, when set; or throws). */
  static final class HeldOptOuts implements OptOutStore {
    final List<CompletableFuture<Void>> reads = new CopyOnWriteArrayList<>();
    private final InMemoryOptOutStore delegate;
    volatile boolean answerAtOnce;
    volatile RuntimeException failWith;
    /** Thrown by isOptedOutAsync itself (a store that does not turn its failure into a failed future). */
    volatile RuntimeException throwFromAsync;

    HeldOptOuts(InMemoryOptOutStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Boolean> isOptedOutAsync(PhoneNumber customer) {
      if (throwFromAsync != null) {
        throw throwFromAsync;
      }
      if (answerAtOnce) {
        return OptOutStore.super.isOptedOutAsync(customer);
      }
      CompletableFuture<Void> gate = new CompletableFuture<>();
      reads.add(gate);
      return gate.thenApply(x -> isOptedOut(customer));
    }

    @Override
    public boolean isOptedOut(PhoneNumber customer) {
      if (failWith != null) {
        throw failWith;
      }
      return delegate.isOptedOut(customer);
    }

    @Override
    public void record(OptOutRecord record) {
      delegate.record(record);
    }

    @Override
    public Optional<OptOutRecord> find(PhoneNumber customer) {
      return delegate.find(customer);
    }
  }

  /** replaceAsync writes (and answers) when the test completes its gate; the rest is the delegate's. */
  static final class HeldOriginators implements OriginatorStore {
    final List<CompletableFuture<Void>> claims = new CopyOnWriteArrayList<>();
    private final InMemoryOriginatorStore delegate;
    /** Thrown by remove (a withdrawal that fails). */
    volatile RuntimeException failRemoves;
    /** Thrown by replaceAsync itself (a store that does not turn its failure into a failed future). */
    volatile RuntimeException throwFromReplaceAsync;

    HeldOriginators(InMemoryOriginatorStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Optional<OriginatorRecord>> replaceAsync(OriginatorRecord record) {
      if (throwFromReplaceAsync != null) {
        throw throwFromReplaceAsync;
      }
      CompletableFuture<Void> gate = new CompletableFuture<>();
      claims.add(gate);
      return gate.thenApply(x -> delegate.replace(record));
    }

    @Override
    public void put(OriginatorRecord record) {
      delegate.put(record);
    }

    @Override
    public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
      return delegate.find(customer, business);
    }

    @Override
    public boolean remove(PhoneNumber customer, Originator business) {
      if (failRemoves != null) {
        throw failRemoves;
      }
      return delegate.remove(customer, business);
    }

    @Override
    public int purgeExpired() {
      return delegate.purgeExpired();
    }
  }
}
