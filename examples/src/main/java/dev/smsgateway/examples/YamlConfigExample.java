package dev.smsgateway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.internal.Redaction;
import dev.smsgateway.routing.BusinessNumber;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Example {@code yaml-config}: a gateway driven by configuration files. The routing (mappings, business numbers,
 * queues, chat control, replies and keywords) comes from {@code gateway.yaml} through
 * {@link RoutingConfiguration#load(Path)}; the providers come from {@code providers.yaml}, each created with
 * {@link SmsProviders#create(String, String, Map)} from its settings, where {@code ${NAME}} reads an environment
 * variable so that secrets stay out of the file.
 *
 * <p>{@code --loopback}: starts the embedded SMSC simulator and supplies {@code SMPP_HOST}, {@code SMPP_PORT},
 * {@code SMPP_SYSTEM_ID} and {@code SMPP_PASSWORD} for it, then plays a customer: a new conversation assigned from the
 * configured queue, the configured {@code HOURS} keyword and {@code HELP} replies, and {@code STOP} with its configured
 * reply, after which a send is refused; then it edits (a copy of) {@code gateway.yaml} while running: the changed
 * reply is in force within a second, and a broken edit is refused while the configuration in force stays. Without
 * it, the same files run against the SMSC the environment names, until stopped, and {@code gateway.yaml} is reloaded
 * whenever it changes. Options: {@code --config FILE} (default {@code examples/config/gateway.yaml}), {@code --providers FILE}
 * (default {@code providers.yaml} next to it).
 *
 * <p>Not thread-safe (a program).
 */
final class YamlConfigExample {

  static final String CUSTOMER = "+14155550142";
  static final String CUSTOMER_2 = "+14155550143";
  private static final Duration RELOAD_PERIOD = Duration.ofMillis(200);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Set<String> SECRET_WORDS = Set.of("password", "token", "secret");

  private final Clock clock = Clock.systemUTC();
  private final Transcript transcript;

  private YamlConfigExample(PrintStream out) {
    this.transcript = new Transcript(out, clock);
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out) {
    boolean loopback = false;
    Path config = null;
    Path providers = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--loopback" -> loopback = true;
        case "--config", "--providers" -> {
          if (i + 1 >= args.length) {
            out.println(args[i] + " needs a file");
            return 2;
          }
          Path file = Path.of(args[i + 1]);
          if (args[i++].equals("--config")) {
            config = file;
          } else {
            providers = file;
          }
        }
        default -> {
          out.println("unknown option " + args[i] + "; options: --loopback, --config FILE, --providers FILE");
          return 2;
        }
      }
    }
    if (config == null) {
      config = Files.exists(Path.of("examples/config/gateway.yaml")) ? Path.of("examples/config/gateway.yaml")
          : Path.of("config/gateway.yaml");
    }
    if (providers == null) {
      providers = config.resolveSibling("providers.yaml");
    }
    try {
      YamlConfigExample example = new YamlConfigExample(out);
      return loopback ? example.loopback(config, providers) : example.realSmsc(config, providers, System::getenv);
    } catch (IllegalArgumentException | dev.smsgateway.SmsConfigurationException e) {
      out.println("yaml-config: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      out.println("yaml-config failed: " + e);
      e.printStackTrace(out);
      return 1;
    }
  }

  // ------------------------------------------------------------------------------------------------ configuration

  /** One provider entry of providers.yaml; its {@code toString()} hides the values of secret settings. */
  record ProviderEntry(String name, String type, Map<String, String> settings) {
    @Override
    public String toString() {
      return "ProviderEntry{name=" + name + ", type=" + type + ", settings=" + shown(settings::get,
          settings.keySet()) + "}";
    }
  }

  /** Reads providers.yaml: {@code providers: {name: {type, settings: {key: value}}}}. */
  static List<ProviderEntry> readProviders(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    JsonNode providers = root == null ? null : root.get("providers");
    if (providers == null || !providers.isObject() || providers.isEmpty()) {
      throw new SmsConfigurationException(file + ": 'providers' must map provider names to {type, settings}");
    }
    List<ProviderEntry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = providers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = "providers[" + e.getKey() + "]";
      JsonNode type = e.getValue().get("type");
      if (type == null || !type.isTextual()) {
        throw new SmsConfigurationException(file + ": " + path + ".type is required (" + SmsProviders.types() + ")");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      JsonNode s = e.getValue().get("settings");
      if (s != null) {
        for (Iterator<Map.Entry<String, JsonNode>> st = s.fields(); st.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = st.next();
          if (!kv.getValue().isValueNode()) {
            throw new SmsConfigurationException(file + ": " + path + ".settings." + kv.getKey() + " must be a value");
          }
          settings.put(kv.getKey(), kv.getValue().asText());
        }
      }
      entries.add(new ProviderEntry(e.getKey(), type.asText(), settings));
    }
    return entries;
  }

  /** Replaces each {@code ${NAME}} in the entry's settings with {@code env(NAME)}; a missing variable is an error. */
  static Function<String, String> resolve(ProviderEntry entry, Function<String, String> env) {
    return key -> {
      String raw = entry.settings().get(key);
      if (raw == null) {
        return null;
      }
      Matcher m = VARIABLE.matcher(raw);
      StringBuilder value = new StringBuilder();
      while (m.find()) {
        String v = env.apply(m.group(1));
        if (v == null) {
          throw new SmsConfigurationException("providers[" + entry.name() + "].settings." + key
              + ": the environment variable " + m.group(1) + " is not set");
        }
        m.appendReplacement(value, Matcher.quoteReplacement(v));
      }
      m.appendTail(value);
      return value.toString();
    };
  }

  /** The settings as {@code key=value}, secrets as {@code ****} and credentials or numbers in other values removed. */
  static List<String> shown(Function<String, String> settings, Collection<String> keys) {
    return keys.stream().map(k -> k + "=" + (secret(k) ? "****" : Redaction.text(settings.apply(k)))).toList();
  }

  private static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(k::contains);
  }

  /** Loads both files, creates the providers and wires the gateway and routing engine; prints what it read. */
  private InMemoryWiring start(Path config, Path providersFile, Function<String, String> env) throws IOException {
    RoutingConfiguration routing = RoutingConfiguration.load(config);
    transcript.say("read " + config + ": " + routing.mappings().size() + " mapping(s)");
    Set<String> queues = new LinkedHashSet<>();
    for (Mapping m : routing.mappings()) {
      List<String> numbers = new ArrayList<>();
      for (BusinessNumber n : m.numbers()) {
        numbers.add(n.number() + " (" + n.displayName() + ") -> " + n.target().key());
        n.queue().ifPresent(queues::add);
      }
      transcript.say("  mapping " + m.code() + ": provider " + m.provider() + ", " + m.delivery() + ", numbers "
          + numbers + ", keywords " + m.keywords().stream().map(k -> k.keyword()).toList() + ", idle timeout "
          + m.chatControl().idleTimeout());
    }
    SmsGateway.Builder gateway = SmsGateway.builder();
    for (ProviderEntry entry : readProviders(providersFile)) {
      Function<String, String> settings = resolve(entry, env);
      List<String> shown = shown(settings, entry.settings().keySet());
      // every key of the entry, so that a misspelt one is an error naming the nearest known key
      Map<String, String> resolved = new LinkedHashMap<>();
      entry.settings().keySet().forEach(k -> resolved.put(k, settings.apply(k)));
      SmsProvider provider = SmsProviders.create(entry.type(), entry.name(), resolved);
      transcript.say("read " + providersFile + ": provider " + entry.name() + " (" + entry.type() + ") " + shown);
      gateway.provider(provider);
    }
    // Agents are the application's, not configuration: alice serves every queue the file names.
    InMemoryWiring wired = InMemoryWiring.of(gateway, routing, clock, transcript, 3, queues);
    transcript.say("agent alice serves queue(s) " + queues);
    return wired;
  }

  // ------------------------------------------------------------------------------------------------ loopback

  private int loopback(Path config, Path providersFile) throws Exception {
    long started = System.nanoTime();
    transcript.title("sms-gateway example yaml-config (--loopback): " + config + " + " + providersFile
        + " on the embedded SMSC");
    byte[] secret = new byte[6];
    new SecureRandom().nextBytes(secret);
    String password = HexFormat.of().formatHex(secret).substring(0, 8);
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("yamlcfg", password).build().start()) {
      Map<String, String> env = Map.of("SMPP_HOST", smsc.host(), "SMPP_PORT", Integer.toString(smsc.port()),
          "SMPP_SYSTEM_ID", "yamlcfg", "SMPP_PASSWORD", password);
      // A copy of gateway.yaml, so that step 5 can edit it while the example runs.
      Path live = Files.createTempDirectory("yaml-config").resolve("gateway.yaml");
      Files.copy(config, live);
      live.toFile().deleteOnExit();
      live.getParent().toFile().deleteOnExit();
      InMemoryWiring running = start(live, providersFile, name -> env.getOrDefault(name, System.getenv(name)));
      RoutingConfiguration routing = RoutingConfiguration.load(config);
      Mapping sales = routing.mappings().get(0);
      String business = sales.numbers().get(0).number().address();
      try (SmsGateway gateway = running.gateway(); ConversationService conversations = running.conversations();
          RoutingFileWatcher watcher = new RoutingFileWatcher(live, conversations, transcript, RELOAD_PERIOD)) {
        gateway.start();
        if (!smsc.awaitBound(1, Transcript.STEP_TIMEOUT)) {
          throw new TimeoutException("the provider from providers.yaml did not bind to the embedded SMSC");
        }
        transcript.say("provider bound to the SMSC on " + smsc.host() + ":" + smsc.port());

        transcript.step("1. A new customer texts the configured number: queued, assigned from queue '"
            + sales.numbers().get(0).queue().orElse("?") + "'");
        smsc.deliverMo(CUSTOMER, business, "Hi, I'd like a quote for 20 routers");
        var assigned = transcript.await(e -> e.kind() == Transcript.Kind.ASSIGNED && e.customer().equals(CUSTOMER));
        transcript.check("new customer assigned to alice", assigned.isPresent()
            && "alice".equals(assigned.get().agent()), assigned.map(e -> "assigned to " + e.agent()).orElse("no"));

        transcript.step("2. The customer texts HOURS: the keyword reply from gateway.yaml");
        String hours = sales.keywords().get(0).reply();
        smsc.deliverMo(CUSTOMER, business, "hours?");
        transcript.check("HOURS -> configured reply", awaitText(smsc, hours), Transcript.abbreviate(hours));

        transcript.step("3. The customer texts HELP: the help reply from gateway.yaml");
        smsc.deliverMo(CUSTOMER, business, "HELP");
        transcript.check("HELP -> configured help reply", awaitText(smsc, sales.helpReply()),
            Transcript.abbreviate(sales.helpReply()));

        transcript.step("4. The customer texts STOP: the opt-out reply, and a later send is refused");
        smsc.deliverMo(CUSTOMER, business, "STOP");
        boolean confirmed = awaitText(smsc, sales.optOutReply());
        transcript.check("STOP -> configured opt-out reply", confirmed, Transcript.abbreviate(sales.optOutReply()));
        boolean optedOut = running.optOuts().isOptedOut(PhoneNumber.of(CUSTOMER));
        try {
          running.conversations().startOutbound("alice", business, CUSTOMER, "One more offer for you...", null)
              .get(10, TimeUnit.SECONDS);
          transcript.check("send after STOP refused", false, "it was sent");
        } catch (ExecutionException e) {
          transcript.say("REFUSED alice -> " + PhoneNumbers.mask(CUSTOMER) + ": " + e.getCause().getClass()
              .getSimpleName());
          transcript.check("send after STOP refused", optedOut && e.getCause() instanceof SmsOptedOutException,
              e.getCause().getClass().getSimpleName());
        }
        transcript.step("5. gateway.yaml is edited while running: the new HOURS reply is in force without a restart");
        String newHours = "ACME Sales is open every day 8:00-20:00 (Pacific).";
        Files.writeString(live, Files.readString(live).replace(hours, newHours));
        boolean reloaded = watcher.awaitChanges(1, Transcript.STEP_TIMEOUT);
        smsc.deliverMo(CUSTOMER_2, business, "HOURS");
        transcript.check("edited HOURS reply in force", reloaded && awaitText(smsc, newHours),
            Transcript.abbreviate(newHours));
        transcript.step("6. A broken edit (a typo in a setting) is refused; the configuration in force stays");
        Files.writeString(live, Files.readString(live).replace("idleTimeout:", "idelTimeout:"));
        boolean seen = watcher.awaitChanges(2, Transcript.STEP_TIMEOUT);
        int before = smsc.accepted().size();
        smsc.deliverMo(CUSTOMER_2, business, "hours");
        smsc.awaitAccepted(before + 1, Transcript.STEP_TIMEOUT);
        transcript.check("broken edit refused, HOURS still answered", seen
            && smsc.acceptedTexts().stream().filter(newHours::equals).count() == 2, "edited reply again");
        // Let every accepted submit's response reach the gateway before it closes.
        long sent = transcript.awaitCount(e -> e.kind() == Transcript.Kind.SENT, smsc.accepted().size());
        transcript.check("every message the SMSC accepted was reported sent", sent == smsc.accepted().size(),
            sent + " of " + smsc.accepted().size());
        transcript.say("SMSC received " + smsc.accepted().size() + " submit_sm: "
            + smsc.acceptedTexts().stream().map(Transcript::abbreviate).toList());
      }
      return transcript.finish(started);
    }
  }

  /** Waits (deadline: the step timeout) until the SMSC has accepted a message with exactly {@code text}. */
  private static boolean awaitText(SmscSimulator smsc, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Transcript.STEP_TIMEOUT.toNanos();
    while (!smsc.acceptedTexts().contains(text)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      smsc.awaitAccepted(smsc.accepted().size() + 1, Duration.ofNanos(left));
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------------ real SMSC

  private int realSmsc(Path config, Path providersFile, Function<String, String> env) throws Exception {
    InMemoryWiring running = start(config, providersFile, env);
    CountDownLatch stop = new CountDownLatch(1);
    try (SmsGateway gateway = running.gateway(); ConversationService conversations = running.conversations();
        RoutingFileWatcher watcher = new RoutingFileWatcher(config, conversations, transcript, Duration.ofSeconds(2))) {
      gateway.start();
      transcript.say("gateway started; customers' messages to the configured numbers reach agent alice; " + config
          + " is reloaded when it changes. Ctrl-C stops");
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }
}
