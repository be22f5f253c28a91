package dev.smsgateway.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A small world for routing tests: a virtual clock, the in-memory stores and three mappings. Not thread-safe. */
final class TestWorld {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");
  static final PhoneNumber CUSTOMER_2 = PhoneNumber.of("+14155550124");
  static final Originator SALES_1 = Originator.longCode(PhoneNumber.of("+14155550199"));
  static final Originator SALES_2 = Originator.longCode(PhoneNumber.of("+14155550198"));
  static final Originator QUIET = Originator.longCode(PhoneNumber.of("+14155550196"));
  static final Originator FLOW = Originator.longCode(PhoneNumber.of("+14155550197"));
  static final Originator UNKNOWN = Originator.longCode(PhoneNumber.of("+14155550142"));
  static final Duration TTL = Duration.ofMinutes(30);
  static final String FLOW_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

  final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
  final InMemoryOriginatorStore originators = new InMemoryOriginatorStore(clock);
  final InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
  final InMemoryConversationStore conversations = new InMemoryConversationStore();
  final RecordingSender sender = new RecordingSender();
  final RecordingListener events = new RecordingListener();
  private final AtomicLong ids = new AtomicLong();

  static RoutingConfiguration configuration() {
    return RoutingConfiguration.builder()
        .providerAnswersKeywords("twilio-main", true)
        .addMapping(Mapping.builder("sales").provider("smpp").defaultCountry("US").delivery(Delivery.QUEUE)
            .originatorTtl(TTL)
            .chatControl(ChatControl.builder().idleTimeout(Duration.ofMinutes(10))
                .agentAcceptTimeout(Duration.ofSeconds(60)))
            .helpReply("Acme help")
            .optOutReply("Acme: you are opted out")
            .optInReply("Acme: welcome back")
            .keyword("HOURS", "Open 9-5")
            .addNumber(n -> n.number(SALES_1.address()).displayName("Acme Sales").queue("sales")
                .keyword("PRICE", "Prices at acme.example"))
            .addNumber(n -> n.number(SALES_2.address()).displayName("Acme Sales 2").queue("sales")))
        .addMapping(Mapping.builder("quiet").provider("smpp").defaultCountry("US")
            .chatControl(ChatControl.builder().suppressSystemMessages(true))
            .addNumber(n -> n.number(QUIET.address()).displayName("Quiet").queue("quiet")))
        .addMapping(Mapping.builder("flow").provider("smpp").defaultCountry("US").delivery(Delivery.CONTACT_FLOW)
            .originatorTtl(TTL)
            .addNumber(n -> n.number(FLOW.address()).displayName("Acme Flow").contactFlowId(FLOW_ID)))
        .build();
  }

  RoutingEngine engine(AgentDirectory agents) {
    return RoutingEngine.builder().configuration(configuration()).originatorStore(originators).optOutStore(optOuts)
        .conversationStore(conversations).clock(clock).agentDirectory(agents).build();
  }

  ConversationService.Builder service() {
    return ConversationService.builder().configuration(configuration()).originatorStore(originators)
        .optOutStore(optOuts).conversationStore(conversations).clock(clock).sender(sender).listener(events)
        .contactFlowDelivery(NO_FLOWS).automaticSweeps(false);
  }

  /** For tests that do not exercise contact flows: every call fails. */
  static final ContactFlowDelivery NO_FLOWS = new ContactFlowDelivery() {
    @Override
    public CompletableFuture<String> startChat(InboundChat chat) {
      return CompletableFuture.failedFuture(new IllegalStateException("no contact flows in this test"));
    }

    @Override
    public CompletableFuture<String> startOutboundChat(OutboundChat chat) {
      return CompletableFuture.failedFuture(new IllegalStateException("no contact flows in this test"));
    }
  };

  InboundSms inbound(PhoneNumber from, Originator to, String text) {
    return inbound("smpp", from, to, text);
  }

  InboundSms inbound(String provider, PhoneNumber from, Originator to, String text) {
    return InboundSms.builder().provider(provider).providerMessageId("mo-" + ids.incrementAndGet()).from(from).to(to)
        .body(text).receivedAt(clock.instant()).build();
  }

  /** Records what the service sends; answers like a gateway would, including idempotency keys. */
  final class RecordingSender implements MessageSender {
    final List<OutboundSms> sent = new CopyOnWriteArrayList<>();
    /** Whether the recipient was opted out at the moment each message was handed over. */
    final List<Boolean> optedOutWhenSent = new CopyOnWriteArrayList<>();
    private final Map<String, SendReceipt> byKey = new ConcurrentHashMap<>();
    private final AtomicLong n = new AtomicLong();
    volatile RuntimeException failWith;

    @Override
    public CompletableFuture<SendReceipt> send(OutboundSms sms) {
      sent.add(sms);
      optedOutWhenSent.add(optOuts.isOptedOut(PhoneNumber.of(sms.to())));
      if (failWith != null) {
        return CompletableFuture.failedFuture(failWith);
      }
      if (sms.idempotencyKey().isPresent()) {
        return CompletableFuture.completedFuture(byKey.computeIfAbsent(sms.idempotencyKey().get(),
            k -> receipt(sms)));
      }
      return CompletableFuture.completedFuture(receipt(sms));
    }

    /** With the message id the caller gave, as the gateway does; otherwise one of its own. */
    private SendReceipt receipt(OutboundSms sms) {
      long id = n.incrementAndGet();
      return new SendReceipt(sms.messageId().orElse("msg-" + id), "smpp", List.of("smsc-" + id), 1, clock.instant(),
          Map.of());
    }

    List<String> bodies() {
      List<String> out = new ArrayList<>();
      for (OutboundSms s : sent) {
        out.add(s.body());
      }
      return out;
    }
  }

  /** Records events as short strings. */
  static final class RecordingListener implements ConversationListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAssigned(Conversation c, String agentId, String whisper) {
      events.add("assigned " + agentId + (whisper == null ? "" : " whisper=" + whisper));
    }

    @Override
    public void onQueued(Conversation c, int position, int depth) {
      events.add("queued " + c.target().key() + " " + position + "/" + depth);
    }

    @Override
    public void onMessage(Conversation c, InboundSms sms) {
      events.add("message " + sms.body() + " -> " + c.target().key());
    }

    @Override
    public void onDeliveryReport(String conversationId, dev.smsgateway.DeliveryReport report,
        dev.smsgateway.DeliveryStatus merged) {
      events.add("dlr " + report.messageId().orElse("?") + " " + merged);
    }

    @Override
    public void onEnded(Conversation c) {
      events.add("ended " + c.endReason());
    }

    @Override
    public void onUnrouted(InboundSms sms, String reason) {
      events.add("unrouted");
    }
  }
}
