package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsComplianceException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.compliance.AuditEvent;
import dev.smsgateway.compliance.AuditLog;
import dev.smsgateway.compliance.Compliance;
import dev.smsgateway.compliance.ConsentMethod;
import dev.smsgateway.compliance.ConsentRecord;
import dev.smsgateway.compliance.ConsentScopes;
import dev.smsgateway.compliance.ConsentStore;
import dev.smsgateway.compliance.HeldMessage;
import dev.smsgateway.compliance.HeldMessageStore;
import dev.smsgateway.compliance.OptOutScope;
import dev.smsgateway.compliance.Purpose;
import dev.smsgateway.compliance.QuietHours;
import dev.smsgateway.compliance.RecipientTimeZones;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.Eventually;
import dev.smsgateway.test.ManualScheduler;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.RecordingSmsProvider;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compliance engine end to end, through the public API of the gateway, the conversation service and the engine:
 * consent by keyword and by API, opt-out scopes, quiet hours across time zones and the DST change, held messages
 * across a restart, and an audit export that tells a conversation's story. A store module extends this with how to
 * open its stores (published in sms-routing's test jar, so the JDBC and DynamoDB modules run the very same checks).
 */
public abstract class ComplianceScenario {

  private static final Duration WAIT = Duration.ofSeconds(10);

  protected static final String PROVIDER = "smpp";
  /** Brand "acme": two numbers of mapping "sales". */
  protected static final Originator SALES_1 = Originator.longCode(PhoneNumber.of("+14155550199"));
  protected static final Originator SALES_2 = Originator.longCode(PhoneNumber.of("+14155550198"));
  /** Mapping "support": no brand, quiet hours that refuse. */
  protected static final Originator SUPPORT = Originator.longCode(PhoneNumber.of("+14155550197"));
  protected static final PhoneNumber NEW_YORK = PhoneNumber.of("+12125550100");
  protected static final PhoneNumber HAWAII = PhoneNumber.of("+18085550100");
  protected static final PhoneNumber LONDON = PhoneNumber.of("+447400123456");

  /** One instance's stores, and what to close when the instance stops. */
  public record Stores(ConsentStore consents, HeldMessageStore held, AuditLog audit, OriginatorStore originators,
      OptOutStore optOuts, ConversationStore conversations, MessageStore messages, AutoCloseable closer) {}

  /** 2026-03-10 13:30 UTC: 09:30 in New York (EDT), 03:30 in Honolulu. */
  protected final MutableClock clock = MutableClock.at("2026-03-10T13:30:00Z");
  private Instance instance;

  /**
   * Opens the stores. Called again after {@link Instance#close()} to model a restart: a durable store must then show
   * what the first instance wrote (an in-memory module returns the same instances).
   */
  protected abstract Stores openStores(MutableClock clock) throws Exception;

  /** Drops what the stores created; called once after each test. */
  protected void closeShared() throws Exception {}

  static RoutingConfiguration routing() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("sales").provider(PROVIDER).defaultCountry("US").delivery(Delivery.QUEUE)
            .addNumber(n -> n.number(SALES_1.address()).displayName("Acme Sales").queue("sales"))
            .addNumber(n -> n.number(SALES_2.address()).displayName("Acme Sales 2").queue("sales")))
        .addMapping(Mapping.builder("support").provider(PROVIDER).defaultCountry("US").delivery(Delivery.QUEUE)
            .addNumber(n -> n.number(SUPPORT.address()).displayName("Support").queue("support")))
        .build();
  }

  /** One gateway with its conversation service and compliance engine on the given stores. */
  protected final class Instance implements AutoCloseable {
    final Stores stores;
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final RecordingSmsProvider provider = RecordingSmsProvider.builder().name(PROVIDER).clock(clock).build();
    final Compliance compliance;
    final ConversationService conversations;
    final SmsGateway gateway;

    Instance(Stores stores, Consumer<Compliance.Builder> config) {
      this.stores = stores;
      Compliance.Builder cb = Compliance.builder().consentStore(stores.consents()).heldMessageStore(stores.held())
          .auditLog(stores.audit()).conversationStore(stores.conversations()).clock(clock)
          .recipientTimeZones(RecipientTimeZones.prefixes(Map.of("+1808", ZoneId.of("Pacific/Honolulu"),
              "+1212", ZoneId.of("America/New_York"))))
          .defaultZone(ZoneId.of("America/Chicago"))
          .brand("acme", SALES_1.address(), SALES_2.address())
          .brandQuietHours("acme", QuietHours.builder().window(LocalTime.of(8, 0), LocalTime.of(21, 0)).build())
          .quietHours(SUPPORT.address(), QuietHours.builder().action(QuietHours.Action.REFUSE).build())
          .keywordConsent("JOIN", Purpose.MARKETING);
      config.accept(cb);
      compliance = cb.build();
      conversations = ConversationService.builder().configuration(routing())
          .originatorStore(stores.originators()).optOutStore(stores.optOuts())
          .conversationStore(stores.conversations()).clock(clock).automaticSweeps(false)
          .keywordClassifier(KeywordClassifier.builder().standard().optIn("JOIN").build())
          .compliance(compliance).build();
      gateway = SmsGateway.builder().provider(provider).optOutStore(stores.optOuts())
          .messageStore(stores.messages()).clock(clock).scheduler(scheduler).defaultRegion("US")
          .closeTimeout(Duration.ZERO).inboundHandler(conversations).listener(conversations.gatewayListener())
          .compliance(compliance).build();
      conversations.bind(gateway::send);
      gateway.start();
      scheduler.runDue();
      conversations.registerAgent("alice", 3, Set.of("sales", "support"));
      conversations.setPresence("alice", Presence.AVAILABLE);
    }

    CompletableFuture<SendReceipt> send(PhoneNumber to, Originator from, Purpose purpose, String text) {
      return gateway.send(OutboundSms.builder().to(to).from(from).purpose(purpose).body(text).build());
    }

    @Override
    public void close() throws Exception {
      gateway.close();
      conversations.close();
      stores.closer().close();
    }
  }

  protected Instance start(Consumer<Compliance.Builder> config) throws Exception {
    instance = new Instance(openStores(clock), config);
    return instance;
  }

  protected Instance start() throws Exception {
    return start(b -> {});
  }

  @AfterEach
  protected final void stop() throws Exception {
    try {
      if (instance != null) {
        instance.close();
      }
    } finally {
      closeShared();
    }
  }

  static SmsException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable[] cause = new Throwable[1];
    f.whenComplete((r, e) -> cause[0] = e);
    Throwable e = cause[0] instanceof CompletionException && cause[0].getCause() != null ? cause[0].getCause()
        : cause[0];
    assertThat(e).isInstanceOf(SmsException.class);
    return (SmsException) e;
  }

  // ---------------------------------------------------------------------------------------------------- consent

  @Test
  @DisplayName("consent by API: marketing without consent is refused (typed, not retryable); granted, it goes;"
      + " withdrawn, it is refused as an opt-out")
  protected void consentByApi() throws Exception {
    Instance i = start();
    SmsException refused = failure(i.send(NEW_YORK, SALES_1, Purpose.MARKETING, "20% off"));
    assertThat(refused).isInstanceOfSatisfying(SmsComplianceException.class, e -> {
      assertThat(e.rule()).isEqualTo(SmsComplianceException.Rule.NO_CONSENT);
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("marketing").doesNotContain(NEW_YORK.e164());
    });
    assertThat(i.provider.submitted()).isEmpty();
    // transactional needs no recorded consent
    i.send(NEW_YORK, SALES_1, Purpose.TRANSACTIONAL, "Your order shipped").join();

    ConsentRecord granted = i.compliance.grant(NEW_YORK, ConsentScopes.brand("acme"), Purpose.MARKETING,
        ConsentMethod.WEB_FORM, "form-2026-118");
    i.send(NEW_YORK, SALES_2, Purpose.MARKETING, "20% off").join(); // the brand's other number
    assertThat(i.stores.consents().history(NEW_YORK)).contains(granted);
    assertThat(failure(i.send(NEW_YORK, SUPPORT, Purpose.MARKETING, "20% off")))
        .isInstanceOf(SmsComplianceException.class); // not the brand's

    clock.advance(Duration.ofMinutes(1));
    i.compliance.withdraw(NEW_YORK, ConsentScopes.brand("acme"), Purpose.MARKETING, ConsentMethod.AGENT, "call-7");
    assertThat(failure(i.send(NEW_YORK, SALES_1, Purpose.MARKETING, "20% off")))
        .isInstanceOf(SmsOptedOutException.class);
    assertThat(i.provider.submitted()).hasSize(2);
    assertThat(i.stores.audit().forCustomer(NEW_YORK)).extracting(AuditEvent::type, AuditEvent::outcome)
        .contains(org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.REFUSED, "NO_CONSENT"),
            org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.CONSENT, "GRANTED"),
            org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.REFUSED, "OPTED_OUT"));
  }

  @Test
  @DisplayName("consent by keyword: START grants every purpose for the brand, JOIN marketing only, STOP withdraws;"
      + " a US opt-out reaches the brand, not other numbers, and not the global opt-out store")
  protected void consentByKeyword() throws Exception {
    Instance i = start();
    i.provider.deliverInbound(NEW_YORK, SALES_1, "JOIN");
    assertThat(i.compliance.consentInForce(NEW_YORK, SALES_2, Purpose.MARKETING)).hasValueSatisfying(r -> {
      assertThat(r.granted()).isTrue();
      assertThat(r.method()).isEqualTo(ConsentMethod.KEYWORD);
      assertThat(r.scope()).isEqualTo(ConsentScopes.brand("acme"));
      assertThat(r.proofReference()).startsWith("JOIN");
    });
    assertThat(i.compliance.consentInForce(NEW_YORK, SALES_2, Purpose.TRANSACTIONAL)).isEmpty();
    i.send(NEW_YORK, SALES_2, Purpose.MARKETING, "20% off").join();

    clock.advance(Duration.ofMinutes(1));
    i.provider.deliverInbound(NEW_YORK, SALES_1, "STOP");
    int sent = i.provider.submitted().size(); // the STOP confirmation went out
    assertThat(failure(i.send(NEW_YORK, SALES_2, Purpose.TRANSACTIONAL, "Your order shipped")))
        .isInstanceOf(SmsOptedOutException.class);
    assertThat(failure(i.send(NEW_YORK, SALES_1, Purpose.MARKETING, "20% off")))
        .isInstanceOf(SmsOptedOutException.class);
    i.send(NEW_YORK, SUPPORT, Purpose.TRANSACTIONAL, "Your ticket was answered").join();
    assertThat(i.stores.optOuts().isOptedOut(NEW_YORK)).isFalse();
    assertThat(i.provider.submitted()).hasSize(sent + 1);

    clock.advance(Duration.ofMinutes(1));
    i.provider.deliverInbound(NEW_YORK, SALES_2, "START");
    i.send(NEW_YORK, SALES_1, Purpose.MARKETING, "20% off").join();
    assertThat(i.stores.consents().history(NEW_YORK)).extracting(ConsentRecord::purpose, ConsentRecord::granted)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Purpose.MARKETING, true),
            org.assertj.core.groups.Tuple.tuple(Purpose.TRANSACTIONAL, false),
            org.assertj.core.groups.Tuple.tuple(Purpose.MARKETING, false),
            org.assertj.core.groups.Tuple.tuple(Purpose.TRANSACTIONAL, true),
            org.assertj.core.groups.Tuple.tuple(Purpose.MARKETING, true));
  }

  // ---------------------------------------------------------------------------------------------------- scopes

  @Test
  @DisplayName("scope per business number: STOP to one number of the brand leaves its other number open")
  protected void businessNumberScope() throws Exception {
    Instance i = start(b -> b.optOutScope("US", OptOutScope.BUSINESS_NUMBER));
    i.provider.deliverInbound(NEW_YORK, SALES_1, "STOP");
    assertThat(failure(i.send(NEW_YORK, SALES_1, Purpose.TRANSACTIONAL, "Hi"))).isInstanceOf(SmsOptedOutException.class);
    i.send(NEW_YORK, SALES_2, Purpose.TRANSACTIONAL, "Hi").join();
    assertThat(i.stores.optOuts().isOptedOut(NEW_YORK)).isFalse();
  }

  @Test
  @DisplayName("global scope (the default outside the US and Canada): STOP anywhere blocks every number, and is"
      + " recorded in the opt-out store")
  protected void globalScope() throws Exception {
    Instance i = start();
    assertThat(i.compliance.optOutScope(LONDON)).isEqualTo(OptOutScope.GLOBAL);
    assertThat(i.compliance.optOutScope(NEW_YORK)).isEqualTo(OptOutScope.BRAND);
    i.provider.deliverInbound(LONDON, SALES_1, "STOP");
    assertThat(i.stores.optOuts().isOptedOut(LONDON)).isTrue();
    assertThat(failure(i.send(LONDON, SUPPORT, Purpose.TRANSACTIONAL, "Hi"))).isInstanceOf(SmsOptedOutException.class);
    clock.advance(Duration.ofMinutes(1));
    i.provider.deliverInbound(LONDON, SUPPORT, "START");
    assertThat(i.stores.optOuts().isOptedOut(LONDON)).isFalse();
    i.send(LONDON, SALES_2, Purpose.TRANSACTIONAL, "Hi").join();
  }

  // ---------------------------------------------------------------------------------------------------- quiet hours

  @Test
  @DisplayName("quiet hours: at 09:30 in New York and 03:30 in Honolulu, one business number sends to New York and"
      + " holds Hawaii until 08:00 Hawaii time")
  protected void quietHoursAcrossZones() throws Exception {
    Instance i = start();
    SendReceipt ny = i.send(NEW_YORK, SALES_1, Purpose.TRANSACTIONAL, "Your order shipped").join();
    SendReceipt hi = i.send(HAWAII, SALES_1, Purpose.TRANSACTIONAL, "Your order shipped").join();
    assertThat(ny.details()).doesNotContainKey("heldUntil");
    assertThat(hi.details()).containsEntry("heldUntil", "2026-03-10T18:00:00Z");
    assertThat(i.provider.submitted()).extracting(SubmitRequest::to).containsExactly(NEW_YORK);
    assertThat(i.gateway.status(hi.messageId())).hasValueSatisfying(r -> assertThat(r.status().isFinal()).isFalse());

    // jump (the periodic release and purge run once, not at every tick on the way): 17:59 UTC, 07:59 in Honolulu
    clock.advance(Duration.ofHours(4).plusMinutes(29));
    i.scheduler.runDue();
    assertThat(i.provider.submitted()).hasSize(1);
    i.scheduler.advance(Duration.ofMinutes(1)); // the first release run at or after 08:00
    assertThat(i.provider.submitted()).hasSize(2);
    assertThat(i.provider.lastSubmitted().to()).isEqualTo(HAWAII);
    assertThat(i.provider.lastSubmitted().messageId()).isEqualTo(hi.messageId());
    // the end of a send (onSent, which audits SENT) runs after the store's write commits: on a durable store, on the
    // gateway's callback thread
    Eventually.assertThat(WAIT, () -> assertThat(i.stores.audit().forMessage(hi.messageId()))
        .extracting(AuditEvent::type)
        .containsSubsequence(AuditEvent.Type.HELD, AuditEvent.Type.ACCEPTED, AuditEvent.Type.SENT));
  }

  @Test
  @DisplayName("the DST change: sent at 01:30 EST on 8 March 2026, the message opens at 08:00 EDT (12:00 UTC)")
  protected void daylightSavingChange() throws Exception {
    clock.set(Instant.parse("2026-03-08T06:30:00Z"));
    Instance i = start();
    SendReceipt held = i.send(NEW_YORK, SALES_1, Purpose.TRANSACTIONAL, "Reminder").join();
    assertThat(held.details()).containsEntry("heldUntil", "2026-03-08T12:00:00Z");
  }

  @Test
  @DisplayName("quiet hours that refuse: a typed, non-retryable error saying when the window opens; nothing held")
  protected void quietHoursRefuse() throws Exception {
    clock.set(Instant.parse("2026-03-10T06:00:00Z")); // 01:00 in New York
    Instance i = start();
    assertThat(failure(i.send(NEW_YORK, SUPPORT, Purpose.TRANSACTIONAL, "Hi")))
        .isInstanceOfSatisfying(SmsComplianceException.class, e -> {
          assertThat(e.rule()).isEqualTo(SmsComplianceException.Rule.QUIET_HOURS);
          assertThat(e.retryable()).isFalse();
          assertThat(e.retryAfter()).contains(Instant.parse("2026-03-10T12:00:00Z"));
        });
    assertThat(i.compliance.held()).isEmpty();
    assertThat(i.provider.submitted()).isEmpty();
  }

  @Test
  @DisplayName("an agent's reply in a conversation the customer started goes out at night; other sends are held;"
      + " with the exemption off, the reply is held too")
  protected void conversationRepliesExempt() throws Exception {
    Instance i = start();
    i.provider.deliverInbound(HAWAII, SALES_1, "Is my order late?"); // 03:30 in Honolulu
    Conversation c = i.stores.conversations().findOpen(HAWAII, SALES_1).orElseThrow();
    SendReceipt reply = i.conversations.send("alice", c.id(), "It ships today").join();
    assertThat(reply.details()).doesNotContainKey("heldUntil");
    assertThat(i.provider.lastSubmitted().to()).isEqualTo(HAWAII);
    assertThat(i.send(HAWAII, SALES_1, Purpose.TRANSACTIONAL, "Survey").join().details()).containsKey("heldUntil");
    i.close();

    instance = null;
    Instance strict = start(b -> b.brandQuietHours("acme", QuietHours.builder().exemptConversationReplies(false)
        .build()));
    Conversation again = strict.stores.conversations().findOpen(HAWAII, SALES_1).orElse(null);
    if (again == null) { // a store that was reset on reopening
      strict.provider.deliverInbound(HAWAII, SALES_1, "Hello?");
      again = strict.stores.conversations().findOpen(HAWAII, SALES_1).orElseThrow();
    }
    assertThat(strict.conversations.send("alice", again.id(), "Still here").join().details())
        .containsKey("heldUntil");
  }

  @Test
  @DisplayName("held messages survive a restart and go out in the order they were accepted, with their message ids")
  protected void heldAcrossRestart() throws Exception {
    Instance first = start();
    String id1 = first.send(HAWAII, SALES_1, Purpose.TRANSACTIONAL, "first").join().messageId();
    clock.advance(Duration.ofSeconds(1));
    String id2 = first.send(HAWAII, SALES_2, Purpose.TRANSACTIONAL, "second").join().messageId();
    assertThat(first.provider.submitted()).isEmpty();
    first.close();
    instance = null;

    clock.set(Instant.parse("2026-03-10T18:00:00Z")); // 08:00 in Honolulu: the restarted gateway releases at start
    Instance second = start();
    assertThat(second.provider.submitted()).extracting(SubmitRequest::body).containsExactly("first", "second");
    assertThat(second.provider.submitted()).extracting(SubmitRequest::messageId).containsExactly(id1, id2);
    assertThat(second.provider.submitted().get(1).from()).contains(SALES_2);
    // removed once each send's outcome is known (on a durable store, on the gateway's callback thread)
    Eventually.assertThat(WAIT, () -> assertThat(second.compliance.held()).isEmpty());
    Eventually.assertThat(WAIT, () -> assertThat(second.gateway.status(id2))
        .hasValueSatisfying(r -> assertThat(r.provider()).isEqualTo(PROVIDER)));
  }

  @Test
  @DisplayName("a gateway that takes a due held message and crashes before sending loses nothing: once the lease has"
      + " passed another gateway sends it, exactly once")
  protected void heldTakenThenCrash() throws Exception {
    Instance first = start();
    String id = first.send(HAWAII, SALES_1, Purpose.TRANSACTIONAL, "after the crash").join().messageId();
    clock.set(Instant.parse("2026-03-10T18:00:00Z")); // 08:00 in Honolulu: due
    // the first gateway takes it (what its release run does first) and dies before handing it to the provider
    assertThat(first.stores.held().takeDue(clock.instant(), 100, Compliance.RELEASE_LEASE))
        .extracting(HeldMessage::messageId).containsExactly(id);
    first.close();
    instance = null;

    Instance second = start(); // releases at start: the message is still claimed by the dead gateway
    assertThat(second.provider.submitted()).isEmpty();
    assertThat(second.compliance.held()).extracting(HeldMessage::messageId).containsExactly(id);
    assertThat(second.gateway.status(id)).hasValueSatisfying(r -> assertThat(r.status().isFinal()).isFalse());

    second.scheduler.advance(Compliance.RELEASE_LEASE); // the lease passes; the next release run takes it again
    assertThat(second.provider.submitted()).extracting(SubmitRequest::messageId).containsExactly(id);
    Eventually.assertThat(WAIT, () -> assertThat(second.compliance.held()).isEmpty());
    Eventually.assertThat(WAIT, () -> assertThat(second.gateway.status(id))
        .hasValueSatisfying(r -> assertThat(r.provider()).isEqualTo(PROVIDER)));
    second.scheduler.advance(Compliance.RELEASE_LEASE.multipliedBy(3));
    assertThat(second.provider.submitted()).hasSize(1);
  }

  @Test
  @DisplayName("a released held message whose send outlasts the lease is not sent again by the gateway sending it;"
      + " it is removed when the send ends")
  protected void heldSendOutlastsLease() throws Exception {
    Instance i = start();
    String id = i.send(HAWAII, SALES_1, Purpose.TRANSACTIONAL, "slow").join().messageId();
    clock.set(Instant.parse("2026-03-10T18:00:00Z"));
    i.provider.enqueue(RecordingSmsProvider.Outcome.pending());
    i.scheduler.runDue();
    assertThat(i.provider.submitted()).extracting(SubmitRequest::messageId).containsExactly(id);
    assertThat(i.provider.pendingCount()).isEqualTo(1);

    i.scheduler.advance(Compliance.RELEASE_LEASE.plusMinutes(1)); // taken again by this gateway's release run
    assertThat(i.provider.submitted()).hasSize(1);
    assertThat(i.compliance.held()).extracting(HeldMessage::messageId).containsExactly(id);

    assertThat(i.provider.releasePending()).isTrue();
    Eventually.assertThat(WAIT, () -> assertThat(i.compliance.held()).isEmpty());
    i.scheduler.advance(Compliance.RELEASE_LEASE.multipliedBy(2));
    assertThat(i.provider.submitted()).hasSize(1);
  }

  @Test
  @DisplayName("a held message sent before a crash kept it from being removed is removed when taken again, not sent"
      + " twice")
  protected void heldSentThenCrash() throws Exception {
    Instance first = start();
    String id = first.send(HAWAII, SALES_1, Purpose.TRANSACTIONAL, "once only").join().messageId();
    HeldMessage h = first.compliance.held().get(0);
    clock.set(Instant.parse("2026-03-10T18:00:00Z"));
    first.scheduler.runDue();
    assertThat(first.provider.submitted()).extracting(SubmitRequest::messageId).containsExactly(id);
    Eventually.assertThat(WAIT, () -> assertThat(first.gateway.status(id))
        .hasValueSatisfying(r -> assertThat(r.provider()).isEqualTo(PROVIDER)));
    Eventually.assertThat(WAIT, () -> assertThat(first.compliance.held()).isEmpty());
    // the state a crash between the provider's acceptance and the remove leaves: the message held, its record sent
    first.stores.held().hold(h);
    first.close();
    instance = null;

    Instance second = start();
    second.scheduler.advance(Compliance.RELEASE_LEASE);
    assertThat(second.provider.submitted()).isEmpty();
    assertThat(second.compliance.held()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------- audit

  @Test
  @DisplayName("the audit export tells a conversation's story: routed (with the reason), the reply accepted and"
      + " sent, its delivery report; numbers masked unless asked in clear with a reason, which is audited too")
  protected void auditStory() throws Exception {
    Instance i = start();
    Instant from = clock.instant();
    i.provider.deliverInbound(NEW_YORK, SALES_1, "Where is my order?");
    Conversation c = i.stores.conversations().findOpen(NEW_YORK, SALES_1).orElseThrow();
    clock.advance(Duration.ofSeconds(30));
    SendReceipt reply = i.conversations.send("alice", c.id(), "It ships today").join();
    clock.advance(Duration.ofSeconds(5));
    i.provider.deliverReport(reply, DeliveryStatus.DELIVERED);
    // a report that overtakes the end of its send is held until onSent, which on a durable store runs after the
    // write commits, on the gateway's callback thread
    Eventually.assertThat(WAIT, () -> assertThat(i.stores.audit().forMessage(reply.messageId()))
        .extracting(AuditEvent::type)
        .contains(AuditEvent.Type.DELIVERY_REPORT));
    // and every message of the conversation accepted has ended (the service's own message on assignment, if it sends
    // one, is audited SENT on the gateway's callback thread, possibly after the reply's report): the story is complete
    Eventually.assertThat(WAIT, () -> assertThat(i.stores.audit().forConversation(c.id()))
        .filteredOn(e -> e.type() == AuditEvent.Type.SENT || e.type() == AuditEvent.Type.FAILED)
        .extracting(AuditEvent::messageId).containsExactlyInAnyOrderElementsOf(i.stores.audit()
            .forConversation(c.id()).stream().filter(e -> e.type() == AuditEvent.Type.ACCEPTED)
            .map(AuditEvent::messageId).toList()));

    List<AuditEvent> story = i.stores.audit().forConversation(c.id());
    // routed; the service's own message on assignment (if it sends one) and the agent's reply, each accepted and
    // sent; the reply's delivery report
    assertThat(story.get(0).type()).isEqualTo(AuditEvent.Type.ROUTED);
    assertThat(story.get(0).reason()).contains("queue sales");
    assertThat(story).filteredOn(e -> reply.messageId().equals(e.messageId())).extracting(AuditEvent::type,
        AuditEvent::outcome).containsExactly(org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.ACCEPTED,
            "TRANSACTIONAL"), org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.SENT, "SENT"),
        org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.DELIVERY_REPORT, "DELIVERED"));
    assertThat(story).filteredOn(e -> reply.messageId().equals(e.messageId())).first()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("agent alice"));
    int n = story.size();

    StringBuilder masked = new StringBuilder();
    int lines = i.compliance.exportJsonLines(from, clock.instant().plusSeconds(1), masked, "auditor-1", false, null);
    assertThat(lines).isEqualTo(n);
    assertThat(masked.toString().lines()).hasSize(n).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
    assertThat(masked.toString()).contains("\"type\":\"ROUTED\"", "\"conversationId\":\"" + c.id() + "\"",
        NEW_YORK.masked()).doesNotContain(NEW_YORK.e164(), SALES_1.address(), "Where is my order", "It ships today");

    assertThatThrownBy(() -> i.compliance.exportJsonLines(from, clock.instant(), new StringBuilder(), "auditor-1",
        true, " ")).isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("reason"));
    StringBuilder clear = new StringBuilder();
    i.compliance.exportJsonLines(from, clock.instant().plusSeconds(1), clear, "auditor-1", true, "court order 17");
    assertThat(clear.toString()).contains(NEW_YORK.e164());
    assertThat(i.stores.audit().between(from, clock.instant().plusSeconds(1)))
        .filteredOn(e -> e.type() == AuditEvent.Type.EXPORTED).extracting(AuditEvent::outcome, AuditEvent::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("MASKED", "by auditor-1: " + n + " events from " + from + " to "
                + clock.instant().plusSeconds(1)),
            org.assertj.core.groups.Tuple.tuple("IN_CLEAR", "by auditor-1: " + (n + 1) + " events from " + from + " to "
                + clock.instant().plusSeconds(1) + "; reason: court order 17"));
  }

  @Test
  @DisplayName("refusals are audited: opt-out, consent, quiet hours, budget")
  protected void refusalsAudited() throws Exception {
    clock.set(Instant.parse("2026-03-10T06:00:00Z"));
    Instance i = start();
    failure(i.send(NEW_YORK, SALES_1, Purpose.MARKETING, "offer"));
    failure(i.send(NEW_YORK, SUPPORT, Purpose.TRANSACTIONAL, "Hi"));
    i.provider.deliverInbound(NEW_YORK, SALES_1, "STOP");
    failure(i.send(NEW_YORK, SALES_2, Purpose.TRANSACTIONAL, "Hi"));
    assertThat(i.stores.audit().forCustomer(NEW_YORK)).filteredOn(e -> e.type() == AuditEvent.Type.REFUSED)
        .extracting(AuditEvent::outcome).containsExactly("NO_CONSENT", "QUIET_HOURS", "OPTED_OUT");
  }
}
