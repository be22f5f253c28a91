package dev.smsgateway.console;

import dev.smsgateway.SmsGateway;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A real stack on loopback: the SMSC simulator, the SMPP provider bound to it, a gateway and a conversation service on
 * in-memory stores, and the console on an ephemeral port. Agents alice and bob serve "support" (ACME Support), carol
 * serves "sales" (ACME Sales); dave has a token but is not registered.
 */
final class ConsoleFixture implements AutoCloseable {

  static final String SUPPORT = "+14155550100";
  static final String SALES = "+14155550199";
  static final String ALICE_TOKEN = "alice-token-0123456789";
  static final String BOB_TOKEN = "bob-token-0123456789ab";
  static final String CAROL_TOKEN = "carol-token-0123456789";
  static final String DAVE_TOKEN = "dave-token-0123456789a";

  final SmscSimulator smsc;
  final SmsGateway gateway;
  final ConversationService conversations;
  final SmsConsole console;
  final ConsoleServer server;
  final InMemoryOptOutStore optOuts = new InMemoryOptOutStore();

  ConsoleFixture() throws Exception {
    this(b -> { });
  }

  ConsoleFixture(Consumer<SmsConsole.Builder> settings) throws Exception {
    Clock clock = Clock.systemUTC();
    smsc = SmscSimulator.builder().credentials("console", "consolpw").autoDeliveryReceipts(true).build().start();
    SmppSmsProvider smpp = SmppSmsProvider.builder().name("smsc").host(smsc.host()).port(smsc.port())
        .systemId("console").password("consolpw").defaultRegion("US").build();
    RoutingConfiguration configuration = RoutingConfiguration.builder()
        .addMapping(Mapping.builder("support").provider("smsc").defaultCountry("US")
            .originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder().endedMessage("This chat has ended."))
            .addNumber(n -> n.number(SUPPORT).displayName("ACME Support").queue("support")))
        .addMapping(Mapping.builder("sales").provider("smsc").defaultCountry("US")
            .addNumber(n -> n.number(SALES).displayName("ACME Sales").queue("sales")))
        .build();
    conversations = ConversationService.builder()
        .configuration(configuration)
        .originatorStore(new InMemoryOriginatorStore(clock))
        .optOutStore(optOuts)
        .conversationStore(new InMemoryConversationStore(clock))
        .clock(clock)
        .build();
    gateway = SmsGateway.builder().provider(smpp).defaultRegion("US").clock(clock).optOutStore(optOuts)
        .messageStore(new InMemoryMessageStore(clock)).inboundHandler(conversations)
        .listener(conversations.gatewayListener()).build();
    conversations.bind(gateway);
    gateway.start();
    if (!smsc.awaitBound(1, Duration.ofSeconds(10))) {
      throw new IllegalStateException("the SMPP provider did not bind");
    }
    conversations.registerAgent("alice", 3, Set.of("support"));
    conversations.registerAgent("bob", 3, Set.of("support"));
    conversations.registerAgent("carol", 3, Set.of("sales"));
    conversations.setPresence("alice", Presence.AVAILABLE);
    conversations.setPresence("bob", Presence.AVAILABLE);
    conversations.setPresence("carol", Presence.AVAILABLE);
    SmsConsole.Builder b = SmsConsole.builder()
        .conversationService(conversations)
        .authenticator(StaticTokenAuthenticator.builder()
            .token(ALICE_TOKEN, "alice").token(BOB_TOKEN, "bob").token(CAROL_TOKEN, "carol")
            .token(DAVE_TOKEN, "dave").build())
        .heartbeat(Duration.ofMillis(500));
    settings.accept(b);
    console = b.build();
    server = console.start(new InetSocketAddress("127.0.0.1", 0));
  }

  URI uri() {
    return server.uri();
  }

  @Override
  public void close() {
    server.close();
    conversations.close();
    gateway.close();
    smsc.close();
  }
}
