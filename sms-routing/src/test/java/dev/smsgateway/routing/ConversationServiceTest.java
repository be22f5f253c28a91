package dev.smsgateway.routing;

import static dev.smsgateway.routing.TestWorld.CUSTOMER;
import static dev.smsgateway.routing.TestWorld.CUSTOMER_2;
import static dev.smsgateway.routing.TestWorld.FLOW;
import static dev.smsgateway.routing.TestWorld.QUIET;
import static dev.smsgateway.routing.TestWorld.SALES_1;
import static dev.smsgateway.routing.TestWorld.SALES_2;
import static dev.smsgateway.routing.TestWorld.TTL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConversationServiceTest {

  private TestWorld world;
  private ConversationService service;

  @BeforeEach
  void setUp() {
    world = new TestWorld();
    service = world.service().build();
  }

  private OutboundConversation start(String agent, String business, String customer, String text, String key)
      throws Exception {
    return service.startOutbound(agent, business, customer, text, key).get(5, TimeUnit.SECONDS);
  }

  private Conversation conversation(String id) {
    return world.conversations.find(id).orElseThrow();
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    Throwable e = f.handle((v, x) -> x).join();
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @Nested
  @DisplayName("agent-originated conversations")
  class Outbound {

    @Test
    @DisplayName("startOutbound normalizes, writes the record, sends, and opens the conversation for the agent")
    void startOutbound() throws Exception {
      OutboundConversation out = start("alice", "+14155550199", "(415) 555-0123", "Your table is ready", "order-42");
      OutboundSms sent = world.sender.sent.get(0);
      assertThat(sent.to()).isEqualTo(CUSTOMER.e164());
      assertThat(sent.from()).contains(SALES_1.address());
      assertThat(sent.provider()).contains("smpp");
      assertThat(sent.idempotencyKey()).contains("order-42");
      assertThat(world.originators.find(CUSTOMER, SALES_1)).hasValueSatisfying(r -> {
        assertThat(r.agentId()).isEqualTo("alice");
        assertThat(r.outboundText()).isEqualTo("Your table is ready");
        assertThat(r.messageId()).isEqualTo(out.messageId());
        assertThat(r.expiresAt()).isEqualTo(world.clock.instant().plus(TTL));
      });
      Conversation c = conversation(out.conversationId());
      assertThat(c.state()).isEqualTo(Conversation.State.ASSIGNED);
      assertThat(c.target()).isEqualTo(new RouteTarget.Agent("alice"));
      assertThat(service.transcript(c.id())).singleElement().satisfies(e -> {
        assertThat(e.direction()).isEqualTo(TranscriptEntry.Direction.OUTBOUND);
        assertThat(e.author()).isEqualTo("alice");
        assertThat(e.text()).isEqualTo("Your table is ready");
        assertThat(e.messageId()).isEqualTo(out.messageId());
      });
      assertThat(world.events.events).containsExactly("assigned alice");
    }

    @Test
    @DisplayName("the same idempotency key twice gives the same conversation and one transcript line")
    void idempotent() throws Exception {
      OutboundConversation a = start("alice", "+14155550199", "4155550123", "Hi", "k-1");
      OutboundConversation b = start("alice", "+14155550199", "4155550123", "Hi", "k-1");
      assertThat(b).isEqualTo(a);
      assertThat(service.transcript(a.conversationId())).hasSize(1);
    }

    @Test
    @DisplayName("an opted-out customer is refused with SmsOptedOutException; nothing is written or sent")
    void optedOut() {
      world.optOuts.record(new OptOutRecord(CUSTOMER, true, "STOP", SALES_1.key(), world.clock.instant()));
      Throwable e = failure(service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null));
      assertThat(e).isInstanceOf(SmsOptedOutException.class);
      assertThat(world.sender.sent).isEmpty();
      assertThat(world.originators.find(CUSTOMER, SALES_1)).isEmpty();
      assertThat(world.conversations.findOpen(CUSTOMER, SALES_1)).isEmpty();
    }

    @Test
    @DisplayName("bad input fails the future with the field named; null fails fast")
    void badInput() {
      assertThat(failure(service.startOutbound("alice", "+14155550142", "+14155550123", "Hi", null)))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("businessNumber"));
      assertThat(failure(service.startOutbound("alice", "+14155550199", "555", "Hi", null)))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("customerNumber"));
      assertThat(failure(service.startOutbound(" ", "+14155550199", "+14155550123", "Hi", null)))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("agentId"));
      assertThat(failure(service.startOutbound("alice", "+14155550199", "+14155550123", " ", null)))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("text"));
      assertThatThrownBy(() -> service.startOutbound(null, "b", "c", "t", null))
          .isInstanceOf(NullPointerException.class).hasMessage("agentId == null");
    }

    @Test
    @DisplayName("a failed send opens no conversation and reports the send's error")
    void failedSend() {
      world.sender.failWith = new SmsThrottledException("slow down", "smpp", "0x58", null);
      assertThat(failure(service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null)))
          .isInstanceOf(SmsThrottledException.class);
      assertThat(world.conversations.findOpen(CUSTOMER, SALES_1)).isEmpty();
    }

    @Test
    @DisplayName("the customer's replies reach the agent, in order, with the transcript complete")
    void replies() throws Exception {
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Your table is ready", null);
      for (int i = 1; i <= 5; i++) {
        world.clock.advance(Duration.ofSeconds(1));
        service.handle(world.inbound(CUSTOMER, SALES_1, "reply " + i));
      }
      assertThat(world.events.events).containsExactly("assigned alice", "message reply 1 -> agent:alice",
          "message reply 2 -> agent:alice", "message reply 3 -> agent:alice", "message reply 4 -> agent:alice",
          "message reply 5 -> agent:alice");
      assertThat(service.transcript(out.conversationId())).extracting(TranscriptEntry::text)
          .containsExactly("Your table is ready", "reply 1", "reply 2", "reply 3", "reply 4", "reply 5");
      world.sender.sent.clear();
      service.send("alice", out.conversationId(), "See you soon").get(5, TimeUnit.SECONDS);
      assertThat(world.sender.bodies()).containsExactly("See you soon");
      assertThat(service.transcript(out.conversationId())).last()
          .satisfies(e -> assertThat(e.direction()).isEqualTo(TranscriptEntry.Direction.OUTBOUND));
      assertThat(failure(service.send("bob", out.conversationId(), "mine?")))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("agentId"));
    }

    @Test
    @DisplayName("a second agent writing to the same customer from the same number takes the conversation over")
    void takeOver() throws Exception {
      OutboundConversation a = start("alice", "+14155550199", "+14155550123", "From Alice", null);
      OutboundConversation b = start("bob", "+14155550199", "+14155550123", "From Bob", null);
      assertThat(b.conversationId()).isEqualTo(a.conversationId());
      assertThat(conversation(a.conversationId()).target()).isEqualTo(new RouteTarget.Agent("bob"));
      service.handle(world.inbound(CUSTOMER, SALES_1, "Which of you?"));
      assertThat(world.events.events).last().isEqualTo("message Which of you? -> agent:bob");
    }

    @Test
    @DisplayName("delivery reports of the service's messages reach the listener with their conversation")
    void deliveryReports() throws Exception {
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Hi", null);
      DeliveryReport dlr = DeliveryReport.builder().provider("smpp").providerMessageId("smsc-1")
          .messageId(out.messageId()).status(DeliveryStatus.DELIVERED).occurredAt(world.clock.instant()).build();
      service.gatewayListener().onDeliveryReport(dlr, DeliveryStatus.DELIVERED);
      service.gatewayListener().onDeliveryReport(dlr.toBuilder().messageId("someone-else").build(),
          DeliveryStatus.DELIVERED);
      assertThat(world.events.events).containsExactly("assigned alice", "dlr " + out.messageId() + " DELIVERED");
    }

    @Test
    @DisplayName("a delivery report that overtakes the send's response still reaches the listener, once, after it")
    void reportBeforeSendCompletes() throws Exception {
      CompletableFuture<SendReceipt> response = new CompletableFuture<>();
      service.bind(sms -> response);
      CompletableFuture<OutboundConversation> started =
          service.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null);
      DeliveryReport dlr = DeliveryReport.builder().provider("smpp").providerMessageId("smsc-9")
          .messageId("m-early").status(DeliveryStatus.DELIVERED).occurredAt(world.clock.instant()).build();
      service.gatewayListener().onDeliveryReport(dlr, DeliveryStatus.DELIVERED);
      assertThat(world.events.events).isEmpty();

      response.complete(new SendReceipt("m-early", "smpp", java.util.List.of("smsc-9"), 1, world.clock.instant(),
          java.util.Map.of()));
      OutboundConversation out = started.get(5, TimeUnit.SECONDS);
      assertThat(out.messageId()).isEqualTo("m-early");
      assertThat(world.events.events).containsExactly("assigned alice", "dlr m-early DELIVERED");
      service.gatewayListener().onDeliveryReport(dlr, DeliveryStatus.DELIVERED);
      assertThat(world.events.events).hasSize(2);
    }
  }

  @Nested
  @DisplayName("skill queues")
  class Queues {

    @BeforeEach
    void agents() {
      service.registerAgent("bob", 1, Set.of("sales"));
      service.registerAgent("carol", 1, Set.of("sales"));
    }

    @Test
    @DisplayName("an unknown customer lands in the queue and goes to the longest-idle available agent")
    void longestIdle() {
      service.setPresence("carol", Presence.AVAILABLE);
      world.clock.advance(Duration.ofSeconds(10));
      service.setPresence("bob", Presence.AVAILABLE);
      service.handle(world.inbound(CUSTOMER, SALES_1, "Hello?"));
      Conversation c = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
      assertThat(c.target()).isEqualTo(new RouteTarget.Agent("carol"));
      assertThat(world.events.events).containsExactly("assigned carol", "message Hello? -> agent:carol");
      assertThat(world.sender.bodies()).containsExactly(ChatControl.defaults().agentJoinedMessage());
      service.handle(world.inbound(CUSTOMER_2, SALES_2, "Me too"));
      assertThat(world.conversations.findOpen(CUSTOMER_2, SALES_2).orElseThrow().target())
          .isEqualTo(new RouteTarget.Agent("bob"));
    }

    @Test
    @DisplayName("with no capacity the customer gets the maximum-chats message, waits, and is assigned when capacity frees")
    void noCapacity() {
      service.setPresence("bob", Presence.AVAILABLE);
      service.handle(world.inbound(CUSTOMER, SALES_1, "first"));
      world.sender.sent.clear();
      service.handle(world.inbound(CUSTOMER_2, SALES_1, "second"));
      Conversation waiting = world.conversations.findOpen(CUSTOMER_2, SALES_1).orElseThrow();
      assertThat(waiting.state()).isEqualTo(Conversation.State.QUEUED);
      assertThat(world.sender.bodies()).containsExactly(ChatControl.defaults().maxChatsMessage());
      assertThat(service.sweep()).isZero();
      Conversation bobs = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
      service.end(bobs.id(), Conversation.EndReason.AGENT);
      assertThat(conversation(waiting.id()).target()).isEqualTo(new RouteTarget.Agent("bob"));
      assertThat(world.events.events).contains("ended AGENT").last().isEqualTo("assigned bob");
    }

    @Test
    @DisplayName("a waiting conversation is assigned when an agent becomes available")
    void becomesAvailable() {
      service.handle(world.inbound(CUSTOMER, SALES_1, "anyone?"));
      assertThat(world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow().state())
          .isEqualTo(Conversation.State.QUEUED);
      service.setPresence("carol", Presence.AVAILABLE);
      assertThat(world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow().target())
          .isEqualTo(new RouteTarget.Agent("carol"));
    }

    @Test
    @DisplayName("suppressed system messages are recorded in the transcript but not sent")
    void suppressed() {
      service.handle(world.inbound(CUSTOMER, QUIET, "hello"));
      Conversation c = world.conversations.findOpen(CUSTOMER, QUIET).orElseThrow();
      assertThat(world.sender.sent).isEmpty();
      assertThat(service.transcript(c.id())).extracting(TranscriptEntry::direction)
          .containsExactly(TranscriptEntry.Direction.INBOUND, TranscriptEntry.Direction.SYSTEM);
      service.end(c.id(), Conversation.EndReason.AGENT);
      assertThat(world.sender.sent).isEmpty();
    }

    @Test
    @DisplayName("release hands the conversation back with the agent-left message and assigns another agent")
    void release() {
      service.setPresence("bob", Presence.AVAILABLE);
      service.handle(world.inbound(CUSTOMER, SALES_1, "hi"));
      Conversation c = world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow();
      service.setPresence("carol", Presence.AVAILABLE);
      service.release("bob", c.id());
      assertThat(conversation(c.id()).target()).isEqualTo(new RouteTarget.Agent("carol"));
      assertThat(world.sender.bodies()).contains(ChatControl.defaults().agentLeftMessage());
    }
  }

  @Nested
  @DisplayName("originating agent fallback")
  class Fallback {

    private String replyToEndedConversation() throws Exception {
      service.registerAgent("alice", 2, Set.of());
      service.setPresence("alice", Presence.AVAILABLE);
      service.registerAgent("bob", 2, Set.of("sales"));
      service.setPresence("bob", Presence.AVAILABLE);
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Your table is ready", null);
      service.end(out.conversationId(), Conversation.EndReason.AGENT);
      world.events.events.clear();
      service.handle(world.inbound(CUSTOMER, SALES_1, "Still there?"));
      return world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow().id();
    }

    @Test
    @DisplayName("a reply after the conversation ended is offered to the originating agent, with the whisper")
    void offered() throws Exception {
      String id = replyToEndedConversation();
      assertThat(conversation(id).target()).isEqualTo(new RouteTarget.Agent("alice"));
      assertThat(world.events.events).containsExactly("assigned alice whisper=Your table is ready",
          "message Still there? -> agent:alice");
      service.accept("alice", id);
      world.clock.advance(Duration.ofSeconds(61));
      service.sweep();
      assertThat(conversation(id).target()).isEqualTo(new RouteTarget.Agent("alice"));
    }

    @Test
    @DisplayName("not accepted within the accept timeout: it moves to the number's queue and another agent")
    void notAccepted() throws Exception {
      String id = replyToEndedConversation();
      world.clock.advance(Duration.ofSeconds(59));
      service.sweep();
      assertThat(conversation(id).target()).isEqualTo(new RouteTarget.Agent("alice"));
      world.clock.advance(Duration.ofSeconds(1));
      assertThat(service.sweep()).isEqualTo(1);
      assertThat(conversation(id).target()).isEqualTo(new RouteTarget.Agent("bob"));
      assertThat(service.transcript(id)).extracting(TranscriptEntry::text)
          .contains("Agent alice did not accept in time; moved to queue:sales");
    }

    @Test
    @DisplayName("R4: the originating agent is offline: the reply goes to the number's queue and is assigned")
    void offline() throws Exception {
      service.registerAgent("alice", 2, Set.of());
      service.registerAgent("bob", 2, Set.of("sales"));
      service.setPresence("bob", Presence.AVAILABLE);
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Your table is ready", null);
      service.end(out.conversationId(), Conversation.EndReason.AGENT);
      service.setPresence("alice", Presence.OFFLINE);
      service.handle(world.inbound(CUSTOMER, SALES_1, "Hello?"));
      assertThat(world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow().target())
          .isEqualTo(new RouteTarget.Agent("bob"));
    }
  }

  @Nested
  @DisplayName("lifecycle")
  class Lifecycle {

    @Test
    @DisplayName("idle timeout: nothing at 9:59, ended with the idle message at 10:00")
    void idleTimeout() throws Exception {
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Hi", null);
      world.sender.sent.clear();
      world.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
      assertThat(service.sweep()).isZero();
      assertThat(conversation(out.conversationId()).isOpen()).isTrue();
      world.clock.advance(Duration.ofSeconds(1));
      assertThat(service.sweep()).isEqualTo(1);
      Conversation c = conversation(out.conversationId());
      assertThat(c.state()).isEqualTo(Conversation.State.ENDED);
      assertThat(c.endReason()).isEqualTo(Conversation.EndReason.IDLE_TIMEOUT);
      assertThat(world.sender.bodies()).containsExactly(ChatControl.defaults().idleTimeoutMessage());
      assertThat(world.events.events).last().isEqualTo("ended IDLE_TIMEOUT");
      assertThat(service.end(c.id(), Conversation.EndReason.AGENT)).isFalse();
    }

    @Test
    @DisplayName("a customer message resets the idle timer")
    void activityResets() throws Exception {
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Hi", null);
      world.clock.advance(Duration.ofMinutes(9));
      service.handle(world.inbound(CUSTOMER, SALES_1, "still here"));
      world.clock.advance(Duration.ofMinutes(9));
      service.sweep();
      assertThat(conversation(out.conversationId()).isOpen()).isTrue();
    }

    @Test
    @DisplayName("ended by the customer: the ended message, the event, and a new message opens a new conversation")
    void endedByCustomer() throws Exception {
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Hi", null);
      assertThat(service.end(out.conversationId(), Conversation.EndReason.CUSTOMER)).isTrue();
      assertThat(world.sender.bodies()).last().isEqualTo(ChatControl.defaults().endedMessage());
      assertThat(world.events.events).last().isEqualTo("ended CUSTOMER");
      service.registerAgent("alice", 1, Set.of());
      service.setPresence("alice", Presence.AVAILABLE);
      service.handle(world.inbound(CUSTOMER, SALES_1, "one more thing"));
      assertThat(world.conversations.findOpen(CUSTOMER, SALES_1).orElseThrow().id())
          .isNotEqualTo(out.conversationId());
    }

    @Test
    @DisplayName("C1: STOP in a conversation: persisted before the single confirmation, conversation ended, no system message")
    void stopInConversation() throws Exception {
      OutboundConversation out = start("alice", "+14155550199", "+14155550123", "Hi", null);
      world.sender.sent.clear();
      world.sender.optedOutWhenSent.clear();
      service.handle(world.inbound(CUSTOMER, SALES_1, "Stop"));
      assertThat(world.sender.bodies()).containsExactly("Acme: you are opted out");
      assertThat(world.sender.optedOutWhenSent).containsExactly(true);
      Conversation c = conversation(out.conversationId());
      assertThat(c.endReason()).isEqualTo(Conversation.EndReason.OPT_OUT);
      assertThat(world.events.events).last().isEqualTo("ended OPT_OUT");
      assertThat(world.events.events).noneMatch(e -> e.startsWith("message"));
      assertThat(failure(service.send("alice", c.id(), "are you there?"))).isInstanceOf(SmsValidationException.class);
      assertThat(failure(service.startOutbound("alice", "+14155550199", "+14155550123", "Hi again", null)))
          .isInstanceOf(SmsOptedOutException.class);
    }

    @Test
    @DisplayName("a provider that answers keywords itself: STOP is stored and we send nothing")
    void providerAnswers() {
      service.handle(world.inbound("twilio-main", CUSTOMER, SALES_1, "STOP"));
      assertThat(world.optOuts.isOptedOut(CUSTOMER)).isTrue();
      assertThat(world.sender.sent).isEmpty();
    }

    @Test
    @DisplayName("a throwing listener is contained; other listeners still get the event")
    void listenerContained() throws Exception {
      List<String> seen = new CopyOnWriteArrayList<>();
      ConversationService s = world.service()
          .listener(new ConversationListener() {
            @Override
            public void onAssigned(Conversation c, String agentId, String whisper) {
              throw new IllegalStateException("boom");
            }
          })
          .listener(new ConversationListener() {
            @Override
            public void onAssigned(Conversation c, String agentId, String whisper) {
              seen.add(agentId);
            }
          })
          .build();
      s.startOutbound("alice", "+14155550199", "+14155550123", "Hi", null).get(5, TimeUnit.SECONDS);
      assertThat(seen).containsExactly("alice");
    }

    @Test
    @DisplayName("a message to a number no mapping holds is reported as unrouted")
    void unrouted() {
      service.handle(world.inbound(CUSTOMER, TestWorld.UNKNOWN, "hello"));
      assertThat(world.events.events).containsExactly("unrouted");
    }
  }

  @Nested
  @DisplayName("contact flows")
  class ContactFlows {

    @Test
    @DisplayName("a service with a contact-flow mapping needs a ContactFlowDelivery")
    void required() {
      assertThatThrownBy(() -> ConversationService.builder().configuration(TestWorld.configuration())
          .originatorStore(world.originators).optOutStore(world.optOuts).conversationStore(world.conversations)
          .build()).isInstanceOf(dev.smsgateway.SmsConfigurationException.class).hasMessageContaining("flow");
    }

    @Test
    @DisplayName("inbound to a flow starts a chat with the attributes; the contact id links the next message")
    void startsChat() {
      List<InboundChat> chats = new CopyOnWriteArrayList<>();
      ConversationService s = world.service().contactFlowDelivery(new ContactFlowDelivery() {
        @Override
        public CompletableFuture<String> startChat(InboundChat chat) {
          chats.add(chat);
          return CompletableFuture.completedFuture("contact-" + chats.size());
        }

        @Override
        public CompletableFuture<String> startOutboundChat(OutboundChat chat) {
          return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
      }).build();
      s.handle(world.inbound(CUSTOMER, FLOW, "Where is my order?"));
      s.handle(world.inbound(CUSTOMER, FLOW, "Hello?"));
      assertThat(chats).hasSize(2);
      assertThat(chats.get(0).contactFlowId()).isEqualTo(TestWorld.FLOW_ID);
      assertThat(chats.get(0).attributes()).containsEntry(RoutingEngine.ATTR_CUSTOMER_NUMBER, CUSTOMER.e164())
          .containsEntry(InboundChat.ATTR_CUSTOMER_MESSAGE, "Where is my order?");
      assertThat(chats.get(0).clientToken()).contains("sms:smpp:mo-1");
      assertThat(chats.get(0).relatedContactId()).isEmpty();
      assertThat(chats.get(1).relatedContactId()).contains("contact-1");
    }

    @Test
    @DisplayName("a flow that fails makes handle throw, so that the provider delivers the message again")
    void failurePropagates() {
      ConversationService s = world.service().contactFlowDelivery(new ContactFlowDelivery() {
        @Override
        public CompletableFuture<String> startChat(InboundChat chat) {
          return CompletableFuture.failedFuture(new SmsThrottledException("slow", "connect", "ThrottlingException",
              null));
        }

        @Override
        public CompletableFuture<String> startOutboundChat(OutboundChat chat) {
          return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
      }).build();
      assertThatThrownBy(() -> s.handle(world.inbound(CUSTOMER, FLOW, "hi")))
          .isInstanceOf(SmsThrottledException.class);
    }

    @Test
    @DisplayName("agent-originated on a Connect-owned number goes through startOutboundChat with our idempotency key")
    void outboundThroughConnect() throws Exception {
      RoutingConfiguration config = RoutingConfiguration.builder().addMapping(Mapping.builder("connect")
          .provider("eum").defaultCountry("US").delivery(Delivery.CONTACT_FLOW)
          .addNumber(n -> n.number("+14155550195").displayName("Acme").contactFlowId(TestWorld.FLOW_ID)
              .connectPhoneNumberArn("arn:aws:connect:us-east-1:123456789012:phone-number/abc-123")))
          .build();
      List<OutboundChat> chats = new CopyOnWriteArrayList<>();
      ConversationService s = ConversationService.builder().configuration(config).originatorStore(world.originators)
          .optOutStore(world.optOuts).conversationStore(world.conversations).clock(world.clock)
          .sender(world.sender).contactFlowDelivery(new ContactFlowDelivery() {
            @Override
            public CompletableFuture<String> startChat(InboundChat chat) {
              return CompletableFuture.failedFuture(new UnsupportedOperationException());
            }

            @Override
            public CompletableFuture<String> startOutboundChat(OutboundChat chat) {
              chats.add(chat);
              return CompletableFuture.completedFuture("contact-9");
            }
          }).build();
      OutboundConversation out = s.startOutbound("alice", "+14155550195", "4155550123", "Your order shipped", "key-7")
          .get(5, TimeUnit.SECONDS);
      assertThat(out.contactId()).isEqualTo("contact-9");
      assertThat(world.sender.sent).isEmpty();
      OutboundChat chat = chats.get(0);
      assertThat(chat.customer()).isEqualTo(PhoneNumber.of("+14155550123"));
      assertThat(chat.initialSystemMessage()).contains("Your order shipped");
      assertThat(chat.clientToken()).contains("key-7");
      assertThat(chat.attributes()).containsEntry(RoutingEngine.ATTR_ORIGINATING_AGENT, "alice");
      assertThat(world.originators.find(chat.customer(), dev.smsgateway.Originator.longCode(
          PhoneNumber.of("+14155550195")))).isPresent();
    }
  }
}
