package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.ForwardingConversationStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The writes of startOutbound: the message id is chosen before the send, so the originator record claimed before the
 * send carries it and is written once; a new conversation opens with the message as its first line in one store call;
 * into a conversation open already the line is written without waiting (as the JDBC stores' group commit answers
 * later), and the future completes only once it is stored; a failed write fails it.
 */
class OutboundWritesTest {

  private final TestWorld world = new TestWorld();
  private final CountingOriginators originators = new CountingOriginators(world.originators);
  private final DeferredConversations conversations = new DeferredConversations(world.conversations);
  private ConversationService service;

  private void start(MessageSender sender) {
    service = world.service().originatorStore(originators).conversationStore(conversations).sender(sender).build();
    service.registerAgent("alice", 2, Set.of());
    service.setPresence("alice", Presence.AVAILABLE);
  }

  private CompletableFuture<OutboundConversation> startOutbound(String text, String key) {
    return service.startOutbound("alice", "+14155550199", "+14155550123", text, key);
  }

  @Test
  @DisplayName("one originator write per conversation: the claim carries the id the message is sent with")
  void oneOriginatorWrite() throws Exception {
    List<String> claimedAtSend = new java.util.concurrent.CopyOnWriteArrayList<>();
    start(sms -> {
      claimedAtSend.add(world.originators.find(CUSTOMER, SALES_1).map(OriginatorRecord::messageId).orElse("none"));
      return world.sender.send(sms);
    });
    OutboundConversation result = startOutbound("Your order", null).get(5, TimeUnit.SECONDS);

    OutboundSms sent = world.sender.sent.get(0);
    assertThat(sent.messageId()).isPresent();
    assertThat(result.messageId()).isEqualTo(sent.messageId().get());
    assertThat(claimedAtSend).as("the record claimed before the send").containsExactly(result.messageId());
    assertThat(originators.writes).as("originator writes").hasValue(1);
    assertThat(world.originators.find(CUSTOMER, SALES_1).orElseThrow().messageId()).isEqualTo(result.messageId());
  }

  @Test
  @DisplayName("a new conversation opens with the message as its first line, in one store call")
  void opensWithLine() throws Exception {
    start(world.sender);
    OutboundConversation result = startOutbound("Your order", null).get(5, TimeUnit.SECONDS);

    assertThat(conversations.openedWithLine).hasValue(1);
    assertThat(conversations.pending).as("no separate line write").isEmpty();
    assertThat(world.conversations.transcript(result.conversationId())).containsExactly(new TranscriptEntry(
        result.conversationId(), world.clock.instant(), TranscriptEntry.Direction.OUTBOUND, "alice", "Your order",
        result.messageId()));
  }

  @Test
  @DisplayName("into a conversation open already: the line is written without waiting; the future completes after")
  void intoOpenConversation() throws Exception {
    start(world.sender);
    OutboundConversation first = startOutbound("Your order", null).get(5, TimeUnit.SECONDS);
    world.clock.advanceMillis(1000);

    CompletableFuture<OutboundConversation> second = startOutbound("It shipped", null);
    assertThat(conversations.pending).hasSize(1);
    assertThat(second).isNotDone();
    assertThat(world.conversations.transcript(first.conversationId())).extracting(TranscriptEntry::text)
        .containsExactly("Your order");

    conversations.pending.get(0).complete(null);
    OutboundConversation result = second.get(5, TimeUnit.SECONDS);
    assertThat(result.conversationId()).isEqualTo(first.conversationId());
    assertThat(world.conversations.transcript(first.conversationId())).extracting(TranscriptEntry::messageId)
        .containsExactly(first.messageId(), result.messageId());
    assertThat(originators.writes).as("one originator write per start").hasValue(2);
  }

  @Test
  @DisplayName("a line write that fails after the send fails the future with the store's error")
  void failedWrite() throws Exception {
    start(world.sender);
    startOutbound("Your order", null).get(5, TimeUnit.SECONDS);
    CompletableFuture<OutboundConversation> second = startOutbound("It shipped", null);
    conversations.pending.get(0).completeExceptionally(new SmsTransportException("disk full", null, null, false,
        null));
    assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SmsTransportException.class).hasMessageContaining("disk full");
  }

  @Test
  @DisplayName("an opening that fails after the send fails the future with the store's error")
  void failedOpening() {
    start(world.sender);
    conversations.failOpening = new SmsTransportException("disk full", null, null, false, null);
    assertThatThrownBy(() -> startOutbound("Your order", null).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SmsTransportException.class)
        .hasMessageContaining("disk full");
  }

  @Test
  @DisplayName("a repeated idempotency key answered with the first send's receipt: the record carries the first id")
  void repeatedKey() throws Exception {
    start(world.sender);
    OutboundConversation first = startOutbound("Your order", "order-1").get(5, TimeUnit.SECONDS);
    world.clock.advanceMillis(1000);
    CompletableFuture<OutboundConversation> repeated = startOutbound("Your order", "order-1");
    conversations.pending.forEach(g -> g.complete(null)); // into the open conversation: the line write
    OutboundConversation again = repeated.get(5, TimeUnit.SECONDS);

    assertThat(world.sender.sent.get(1).messageId()).isNotEqualTo(world.sender.sent.get(0).messageId());
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(world.originators.find(CUSTOMER, SALES_1).orElseThrow().messageId()).isEqualTo(first.messageId());
    assertThat(world.conversations.transcript(first.conversationId())).extracting(TranscriptEntry::messageId)
        .containsExactly(first.messageId());
  }

  @Test
  @DisplayName("a reply that overtakes the send's response finds the agent, and its whisper carries the message id")
  void replyOvertakes() throws Exception {
    start(sms -> {
      service.handle(world.inbound(CUSTOMER, SALES_1, "Who is this?"));
      return world.sender.send(sms);
    });
    CompletableFuture<OutboundConversation> started = startOutbound("Your order", null);
    conversations.pending.forEach(g -> g.complete(null)); // the reply opened it: the line goes in without waiting
    OutboundConversation result = started.get(5, TimeUnit.SECONDS);

    Conversation c = world.conversations.find(result.conversationId()).orElseThrow();
    assertThat(c.target()).isEqualTo(new RouteTarget.Agent("alice"));
    assertThat(world.conversations.transcript(c.id())).extracting(TranscriptEntry::direction,
        TranscriptEntry::messageId).containsExactly(
            org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.WHISPER, result.messageId()),
            org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.INBOUND, "mo-1"),
            org.assertj.core.groups.Tuple.tuple(TranscriptEntry.Direction.OUTBOUND, result.messageId()));
  }

  /** Counts the writes (put, replace, putAsync); everything is the delegate's. */
  static final class CountingOriginators implements OriginatorStore {
    final OriginatorStore delegate;
    final AtomicInteger writes = new AtomicInteger();

    CountingOriginators(OriginatorStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<OriginatorRecord> replace(OriginatorRecord record) {
      writes.incrementAndGet();
      return delegate.replace(record);
    }

    @Override
    public CompletableFuture<Void> putAsync(OriginatorRecord record) {
      writes.incrementAndGet();
      return delegate.putAsync(record);
    }

    @Override
    public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
      return delegate.find(customer, business);
    }

    @Override
    public void put(OriginatorRecord record) {
      writes.incrementAndGet();
      delegate.put(record);
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

  /**
   * appendIfAbsentAsync answers when the test completes its gate (then appends); openings with a first line are
   * counted (or fail, when set); the rest is the delegate's.
   */
  static final class DeferredConversations extends ForwardingConversationStore {
    final List<CompletableFuture<Void>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger openedWithLine = new AtomicInteger();
    volatile RuntimeException failOpening;

    DeferredConversations(ConversationStore delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<Boolean> appendIfAbsentAsync(TranscriptEntry entry) {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      pending.add(gate);
      return gate.thenApply(x -> delegate.appendIfAbsent(entry));
    }

    @Override
    public Conversation openIfAbsent(Conversation candidate, TranscriptEntry firstLine) {
      if (failOpening != null) {
        throw failOpening;
      }
      Conversation open = delegate.openIfAbsent(candidate, firstLine);
      if (open.id().equals(candidate.id())) {
        openedWithLine.incrementAndGet();
      }
      return open;
    }

  }
}
