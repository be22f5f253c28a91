package dev.smsgateway.examples;

import dev.smsgateway.SmsGateway;
import dev.smsgateway.console.ConsoleServer;
import dev.smsgateway.console.SmsConsole;
import dev.smsgateway.console.StaticTokenAuthenticator;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.jdbc.JdbcStores;
import dev.smsgateway.test.phone.CustomerPhone;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The interactive demo ({@code ./scripts/demo.sh --console}): the embedded SMSC, the SMPP provider, H2 file stores, the
 * gateway and the conversation service, the agent console on {@code http://127.0.0.1:8080/} and a customer phone page
 * on {@code http://127.0.0.1:8081/} that texts in through the SMSC. Agents alice and bob serve the "support" queue of
 * ACME Support (+1 415 555 0100); their sign-in tokens are made at start and printed. Runs until Ctrl-C.
 *
 * <p>Options: {@code --port N} (console, default 8080; 0 picks a free one), {@code --phone-port N} (default 8081),
 * {@code --data DIR} (default {@code data/console-demo}), {@code --reset}.
 *
 * <p>Not thread-safe (a program).
 */
final class ConsoleDemo {

  static final String BUSINESS = "+14155550100";

  private ConsoleDemo() {}

  /** Parses the options and runs until the process is stopped; returns the exit code. */
  static int run(String[] args, PrintStream out) {
    int port = 8080;
    int phonePort = 8081;
    Path data = Path.of("data", "console-demo");
    boolean reset = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(args[++i]);
          case "--phone-port" -> phonePort = Integer.parseInt(args[++i]);
          case "--data" -> data = Path.of(args[++i]);
          case "--reset" -> reset = true;
          default -> {
            out.println("unknown option " + args[i] + "; options: --port N, --phone-port N, --data DIR, --reset");
            return 2;
          }
        }
      }
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      out.println("--port, --phone-port and --data need a value (ports are numbers)");
      return 2;
    }
    try (Running running = start(port, phonePort, data, reset, out)) {
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      out.println("console demo failed: " + e);
      return 1;
    }
  }

  /** Everything the demo started; closing stops it all. */
  record Running(SmscSimulator smsc, JdbcStores stores, ConversationService conversations, SmsGateway gateway,
      SmsConsole console, ConsoleServer server, CustomerPhone phone, String aliceToken, String bobToken)
      implements AutoCloseable {
    @Override
    public void close() {
      phone.close();
      server.close();
      conversations.close();
      gateway.close();
      stores.close();
      smsc.close();
    }
  }

  static Running start(int port, int phonePort, Path data, boolean reset, PrintStream out) throws Exception {
    if (reset) {
      deleteRecursively(data);
    }
    Files.createDirectories(data);
    Clock clock = Clock.systemUTC();
    RoutingConfiguration configuration = RoutingConfiguration.builder()
        .addMapping(Mapping.builder("support")
            .description("ACME customer support")
            .provider("smsc")
            .defaultCountry("US")
            .originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder()
                .maxChatsMessage("All our agents are busy; we'll be with you shortly.")
                .endedMessage("Your agent closed this chat. Reply any time and it comes back to them."))
            .addNumber(n -> n.number(BUSINESS).displayName("ACME Support").queue("support")))
        .build();
    SmscSimulator smsc = SmscSimulator.builder().credentials("demo", "demopass").autoDeliveryReceipts(true)
        .build().start();
    JdbcStores stores = JdbcStores.builder().h2File(data).clock(clock).build();
    SmppSmsProvider smpp = SmppSmsProvider.builder().name("smsc").host(smsc.host()).port(smsc.port())
        .systemId("demo").password("demopass").defaultRegion("US").build();
    ConversationService conversations = ConversationService.builder()
        .configuration(configuration)
        .originatorStore(stores.originatorStore())
        .optOutStore(stores.optOutStore())
        .conversationStore(stores.conversationStore())
        .clock(clock)
        .build();
    SmsGateway gateway = SmsGateway.builder().provider(smpp).defaultRegion("US").clock(clock)
        .optOutStore(stores.optOutStore()).messageStore(stores.messageStore())
        .inboundHandler(conversations).listener(conversations.gatewayListener()).build();
    conversations.bind(gateway);
    gateway.start();
    if (!smsc.awaitBound(1, Duration.ofSeconds(10))) {
      throw new IllegalStateException("the SMPP provider did not bind to the embedded SMSC");
    }
    conversations.registerAgent("alice", 3, Set.of("support"));
    conversations.registerAgent("bob", 3, Set.of("support"));
    conversations.setPresence("alice", Presence.AVAILABLE);
    conversations.setPresence("bob", Presence.AVAILABLE);
    String aliceToken = "alice-" + randomHex();
    String bobToken = "bob-" + randomHex();
    SmsConsole console = SmsConsole.builder()
        .conversationService(conversations)
        .authenticator(StaticTokenAuthenticator.builder().token(aliceToken, "alice").token(bobToken, "bob").build())
        // Plain http on loopback: not every browser treats http://127.0.0.1 as secure for cookies.
        .secureCookies(false)
        .build();
    ConsoleServer server = console.start(new InetSocketAddress("127.0.0.1", port));
    CustomerPhone phone = CustomerPhone.start(smsc, new InetSocketAddress("127.0.0.1", phonePort));
    out.println("sms-gateway console demo: SMSC on " + smsc.host() + ":" + smsc.port() + ", H2 stores in "
        + data.toAbsolutePath());
    out.println();
    out.println("  agent console:   " + server.uri());
    out.println("    sign in as alice with  " + aliceToken);
    out.println("    or as bob with         " + bobToken);
    out.println("  customer phone:  " + phone.uri() + "  (texts ACME Support, " + BUSINESS + ")");
    out.println();
    out.println("Text a customer from the console (say +1 415 555 0123), answer from the phone page, try STOP.");
    out.println("Ctrl-C stops everything.");
    return new Running(smsc, stores, conversations, gateway, console, server, phone, aliceToken, bobToken);
  }

  private static String randomHex() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
