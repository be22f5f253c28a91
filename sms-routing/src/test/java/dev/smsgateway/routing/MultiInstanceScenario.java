package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.RecordingSmsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances, each with its own stores, sharing one database: what one instance writes, the other acts
 * on. A durable store module extends this with how to open the shared database and one instance's stores on it
 * (published in sms-routing's test jar, so the PostgreSQL and DynamoDB modules run the very same scenario).
 */
public abstract class MultiInstanceScenario {

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");
  protected static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  protected static final String PROVIDER = "smpp-primary";

  /** One instance's stores on the shared database, and what to close when the instance stops. */
  public record Stores(OriginatorStore originators, OptOutStore optOuts, ConversationStore conversations,
      MessageStore messages, AutoCloseable closer) {}

  protected final MutableClock clock = MutableClock.at("2026-01-01T09:00:00Z");
  private Instance a;
  private Instance b;

  /** Creates the database both instances share (a fresh schema or table). */
  protected abstract void openShared() throws Exception;

  /** Opens one instance's stores on the shared database. */
  protected abstract Stores openStores(MutableClock clock) throws Exception;

  /** Drops what {@link #openShared} created. */
  protected abstract void closeShared() throws Exception;

  static RoutingConfiguration routing() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("sales").provider(PROVIDER).defaultCountry("US").delivery(Delivery.QUEUE)
            .originatorTtl(Duration.ofHours(24))
            .addNumber(n -> n.number(BUSINESS.address()).displayName("Acme Sales").queue("sales")))
        .build();
  }

  /** One gateway: its own stores, provider, conversation service, and a listener recording what it got. */
  static final class Instance implements AutoCloseable {
    final Stores stores;
    final RecordingSmsProvider provider;
    final ConversationService conversations;
    final SmsGateway gateway;
    final List<String> messagesForAlice = new CopyOnWriteArrayList<>();

    Instance(Stores stores, MutableClock clock) {
      this.stores = stores;
      provider = RecordingSmsProvider.builder().name(PROVIDER).clock(clock).build();
      conversations = ConversationService.builder().configuration(routing())
          .originatorStore(stores.originators()).optOutStore(stores.optOuts())
          .conversationStore(stores.conversations()).clock(clock).automaticSweeps(false)
          .listener(new ConversationListener() {
            @Override
            public void onMessage(Conversation conversation, InboundSms sms) {
              if (conversation.target().equals(new RouteTarget.Agent("alice"))) {
                messagesForAlice.add(sms.body());
              }
            }
          }).build();
      gateway = SmsGateway.builder().provider(provider).optOutStore(stores.optOuts())
          .messageStore(stores.messages()).clock(clock).defaultRegion("US")
          .inboundHandler(conversations).listener(conversations.gatewayListener()).build();
      conversations.bind(gateway::send);
      gateway.start();
      // Presence is per instance (agents' sessions live in the application): alice is known to both.
      conversations.registerAgent("alice", 3, Set.of("sales"));
      conversations.setPresence("alice", Presence.AVAILABLE);
    }

    @Override
    public void close() throws Exception {
      gateway.close();
      stores.closer().close();
    }
  }

  @BeforeEach
  protected final void startInstances() throws Exception {
    openShared();
    a = new Instance(openStores(clock), clock);
    b = new Instance(openStores(clock), clock);
  }

  @AfterEach
  protected final void stopInstances() throws Exception {
    try {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    } finally {
      closeShared();
    }
  }

  @Test
  @DisplayName("an agent originates on A; the reply reaches B and routes to that agent; a STOP on B blocks sends on A")
  protected void sharedState() throws Exception {
    OutboundConversation started = a.conversations.startOutbound("alice", BUSINESS.address(), CUSTOMER.e164(),
        "Your table is ready", "order-42").get(10, TimeUnit.SECONDS);
    assertThat(a.provider.submitted()).hasSize(1);

    clock.advance(Duration.ofMinutes(3));
    b.provider.deliverInbound(CUSTOMER, BUSINESS, "On my way");
    assertThat(b.messagesForAlice).containsExactly("On my way");
    assertThat(a.messagesForAlice).isEmpty();
    assertThat(b.conversations.transcript(started.conversationId())).extracting(e -> e.text())
        .contains("Your table is ready", "On my way");

    clock.advance(Duration.ofMinutes(1));
    b.provider.deliverInbound(CUSTOMER, BUSINESS, "STOP");
    assertThat(b.stores.optOuts().isOptedOut(CUSTOMER)).isTrue();

    int submittedBefore = a.provider.submitted().size();
    assertThatThrownBy(() -> a.gateway.send(OutboundSms.builder().to(CUSTOMER).from(BUSINESS).body("One more thing")
        .build()).join()).isInstanceOf(CompletionException.class).hasCauseInstanceOf(SmsOptedOutException.class);
    assertThatThrownBy(() -> a.conversations.startOutbound("alice", BUSINESS.address(), CUSTOMER.e164(), "Hello?",
        null).join()).hasCauseInstanceOf(SmsOptedOutException.class);
    assertThat(a.provider.submitted()).hasSize(submittedBefore);
  }

  @Test
  @DisplayName("after A's conversation ended, the reply reaching B still finds the originating agent by A's record")
  protected void originatorRecordAcrossInstances() throws Exception {
    OutboundConversation started = a.conversations.startOutbound("alice", BUSINESS.address(), CUSTOMER.e164(),
        "Your order shipped", null).get(10, TimeUnit.SECONDS);
    assertThat(a.conversations.end(started.conversationId(), Conversation.EndReason.AGENT)).isTrue();
    assertThat(b.stores.conversations().findOpen(CUSTOMER, BUSINESS)).isEmpty();
    assertThat(b.stores.originators().find(CUSTOMER, BUSINESS)).hasValueSatisfying(r -> {
      assertThat(r.agentId()).isEqualTo("alice");
      assertThat(r.messageId()).isEqualTo(started.messageId());
    });

    clock.advance(Duration.ofHours(23));
    b.provider.deliverInbound(CUSTOMER, BUSINESS, "Thanks!");
    assertThat(b.messagesForAlice).containsExactly("Thanks!");
    Conversation reopened = b.stores.conversations().findOpen(CUSTOMER, BUSINESS).orElseThrow();
    assertThat(reopened.id()).isNotEqualTo(started.conversationId());
    assertThat(reopened.target()).isEqualTo(new RouteTarget.Agent("alice"));
  }
}
