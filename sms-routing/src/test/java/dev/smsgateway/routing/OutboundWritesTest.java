package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * startOutbound on stores that answer their asynchronous writes later (as the JDBC stores' group commit does): the
 * record's message id and the transcript line are written without waiting, and the future completes only once both
 * are stored; a failed write fails it.
 */
class OutboundWritesTest {

  private final TestWorld world = new TestWorld();
  private final DeferredOriginators originators = new DeferredOriginators(world.originators);
  private final DeferredConversations conversations = new DeferredConversations(world.conversations);
  private ConversationService service;

  @BeforeEach
  void setUp() {
    service = world.service().originatorStore(originators).conversationStore(conversations).build();
    service.registerAgent("alice", 2, Set.of());
    service.setPresence("alice", Presence.AVAILABLE);
  }

  @Test
  @DisplayName("the future completes after the record's message id and the transcript line are both stored")
  void completesAfterBothWrites() throws Exception {
    CompletableFuture<OutboundConversation> started =
        service.startOutbound("alice", "+14155550199", "+14155550123", "Your order", null);
    assertThat(originators.pending).hasSize(1);
    assertThat(conversations.pending).hasSize(1);
    // the conversation opened meanwhile; the line is not written yet
    Conversation open = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
    assertThat(world.conversations.transcript(open.id())).isEmpty();
    assertThat(started).isNotDone();

    conversations.pending.get(0).complete(null);
    assertThat(started).isNotDone();
    assertThat(world.conversations.transcript(open.id())).extracting(TranscriptEntry::text)
        .containsExactly("Your order");

    originators.pending.get(0).complete(null);
    OutboundConversation result = started.get(5, TimeUnit.SECONDS);
    assertThat(result.conversationId()).isEqualTo(open.id());
    assertThat(world.originators.find(CUSTOMER, SALES_1).orElseThrow().messageId()).isEqualTo(result.messageId());
  }

  @Test
  @DisplayName("a write that fails after the send fails the future with the store's error")
  void failedWrite() {
    CompletableFuture<OutboundConversation> started =
        service.startOutbound("alice", "+14155550199", "+14155550123", "Your order", null);
    conversations.pending.get(0).complete(null);
    originators.pending.get(0).completeExceptionally(new SmsTransportException("disk full", null, null, false, null));
    assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsTransportException.class).hasMessageContaining("disk full");
  }

  /** putAsync answers when the test completes its gate (then writes); everything else is the delegate's. */
  static final class DeferredOriginators implements OriginatorStore {
    final OriginatorStore delegate;
    final List<CompletableFuture<Void>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();

    DeferredOriginators(OriginatorStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> putAsync(OriginatorRecord record) {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      pending.add(gate);
      return gate.thenRun(() -> delegate.put(record));
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
      return delegate.remove(customer, business);
    }

    @Override
    public int purgeExpired() {
      return delegate.purgeExpired();
    }
  }

  /** appendIfAbsentAsync answers when the test completes its gate (then appends); the rest is the delegate's. */
  static final class DeferredConversations implements ConversationStore {
    final ConversationStore delegate;
    final List<CompletableFuture<Void>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();

    DeferredConversations(ConversationStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Boolean> appendIfAbsentAsync(TranscriptEntry entry) {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      pending.add(gate);
      return gate.thenApply(x -> delegate.appendIfAbsent(entry));
    }

    @Override
    public Conversation openIfAbsent(Conversation candidate) {
      return delegate.openIfAbsent(candidate);
    }

    @Override
    public boolean update(Conversation updated) {
      return delegate.update(updated);
    }

    @Override
    public Optional<Conversation> find(String id) {
      return delegate.find(id);
    }

    @Override
    public Optional<Conversation> findOpen(PhoneNumber customer, Originator business) {
      return delegate.findOpen(customer, business);
    }

    @Override
    public List<Conversation> findOpenByTarget(RouteTarget target) {
      return delegate.findOpenByTarget(target);
    }

    @Override
    public List<Conversation> findIdle(Instant cutoff, int limit) {
      return delegate.findIdle(cutoff, limit);
    }

    @Override
    public void append(TranscriptEntry entry) {
      delegate.append(entry);
    }

    @Override
    public List<TranscriptEntry> transcript(String conversationId) {
      return delegate.transcript(conversationId);
    }
  }
}
