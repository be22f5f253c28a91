package dev.smsgateway.benchmarks.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.benchmarks.Median;
import dev.smsgateway.benchmarks.webhook.BenchTraffic.EmptyHandler;
import dev.smsgateway.benchmarks.webhook.BenchTraffic.RequestSource;
import dev.smsgateway.benchmarks.webhook.BenchTraffic.SnsPosts;
import dev.smsgateway.benchmarks.webhook.BenchTraffic.TwilioForms;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.routing.RoutingEngine;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.twilio.TwilioHttpServerHandler;
import dev.smsgateway.twilio.TwilioWebhookHandler;
import dev.smsgateway.eum.EumSmsProvider;
import dev.smsgateway.eum.SnsWebhookHandler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook handling, each against an empty handler on the same JDK {@code HttpServer} that reads the
 * same bodies: Twilio inbound-message webhooks through {@link TwilioHttpServerHandler} (the signature check, the form
 * parsing, the de-duplication and a routing decision by a {@link RoutingEngine} with in-memory stores), and SNS
 * notifications carrying two-way SMS through {@link SnsWebhookHandler#httpHandler()} (JSON parsing, the certificate
 * URL and certificate checks, an RSA-2048 SHA256withRSA signature verification per message, the de-duplication and
 * the same routing decision). Goals: Twilio <= 1.05x server CPU per request and <= 1.10x p99 latency; SNS published.
 *
 * <p>Server CPU is the CPU time of the server's threads only (its dispatcher and its two handler threads, read
 * through {@link ThreadMXBean}), so the client's work does not dilute the ratio; the handler threads' CPU alone is
 * printed beside it. Latency is measured by the two client threads, each sending its requests one after the other
 * over keep-alive connections. A round is made of blocks of {@code --block} requests (default 1,000): each side's
 * handler and its empty twin run one block each, back to back in ABBA order, the sides in turn, so that a change of
 * load on the shared machine falls on both halves of a ratio alike; a round's ratio is its handler blocks' CPU over
 * its empty blocks' CPU, and the result is the median of the per-round ratios. The load average is printed with each
 * round. The empty handler does the same HTTP work as the webhook's adapter: it reads exactly Content-Length bytes
 * and writes the same answer, encoded once; each side has an empty twin of its own (its own context and handler
 * object), so that no twin is warmer in the caches than its handler for serving several sides. Every SNS
 * message has its own MessageId and signature (signed before the rounds, since signing costs the client about a
 * millisecond), so no verification is skipped as a redelivery. The routing decision's INFO log event is built and
 * sent to a no-op appender (see logback.xml): what writing it costs depends on the application's appender.
 *
 * <p>Run: {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-webhook -Dbench.args="--requests 20000
 * --rounds 7 [--block 1000]"}; {@code --route false} leaves the routing decision out; {@code --handlers twilio} or {@code sns} runs
 * one side only; {@code --sns-requests N} sets the SNS requests per round (default the smaller of
 * {@code --requests} and 4,000). Two more sides, for attribution, are run when named in {@code --handlers}:
 * {@code twilio-bare} (the same Twilio handler whose listener only counts: the webhook without the routing
 * decision) and {@code empty} (the empty handler against its twin on another context, an A/A comparison whose
 * spread is the noise floor of every ratio in that run), e.g. {@code --handlers twilio,twilio-bare,empty}; and
 * {@code twilio-floor}: the goal's floor, {@link TwilioFloorHandler}, the least that "signature + parse + route" can
 * be, written plainly (the body read, the HMAC-SHA1 signature over the URL and the sorted parameters with a kept
 * {@code Mac}, the fields a route needs, one {@code ConcurrentHashMap} lookup standing for the route, the same TwiML
 * bytes; no de-duplication, no {@code InboundSms}, no number validation, no routing engine), measured against an empty
 * twin of its own like every side: if the floor's ratio is above the goal, the goal is out of reach of any handler on
 * this server and machine; the real handler's CPU over the floor's, round by round, is printed beside it.
 * {@code twilio-nodedup} is {@code twilio-bare} with the de-duplication off (a window of zero): with it, what the
 * handler does beyond the floor splits into remembering the MessageSids and the rest.
 * {@code --baseline-classes DIR} adds {@code Twilio-base}: the same webhook built from another build's sms-twilio
 * classes (a copy of its {@code target/classes}), interleaved with the others, and prints this build's handler CPU
 * over that build's: an old-vs-new comparison in one run. {@code --attribute true} reads the handler threads' CPU clock
 * around every {@code handle} call and splits each side's CPU per request into inside the handler and outside it
 * (the server's own work).
 *
 * <p>Not thread-safe; a program.
 */
public final class TwilioWebhookBenchmark {

  static final String TOKEN = "bench-auth-token-0123456789abcdef";
  static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  static final Originator SNS_BUSINESS = Originator.longCode(PhoneNumber.of("+14155550198"));
  // the Twilio handler's answer to a message taken, byte for byte
  private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
  private static final int CLIENTS = 2;

  private TwilioWebhookBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = 20_000;
    int rounds = 7;
    int snsRequests = -1;
    boolean route = true;
    int block = 1_000;
    String baselineClasses = null;
    boolean attribute = false;
    String handlersArg = "twilio,sns";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--requests" -> requests = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--route" -> route = Boolean.parseBoolean(args[i + 1]);
        case "--handlers" -> handlersArg = args[i + 1];
        case "--sns-requests" -> snsRequests = Integer.parseInt(args[i + 1]);
        case "--block" -> block = Integer.parseInt(args[i + 1]);
        case "--baseline-classes" -> baselineClasses = args[i + 1];
        case "--attribute" -> attribute = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --requests N"
            + " --rounds N --block N --route true|false --handlers twilio,sns --sns-requests N"
            + " --baseline-classes DIR --attribute true|false");
      }
    }
    if (snsRequests < 0) {
      snsRequests = Math.min(requests, 4_000);
    }
    List<String> handlerNames = List.of(handlersArg.split(","));
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("http.maxConnections", String.valueOf(CLIENTS * 2));
    AtomicInteger routed = new AtomicInteger();
    RoutingEngine engine = routingEngine();
    boolean routing = route;
    ProviderListener listener = new ProviderListener() {
      @Override
      public void onInbound(InboundSms sms) {
        if (routing) {
          engine.route(sms);
        }
        routed.incrementAndGet();
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    };
    TwilioWebhookHandler webhook = TwilioWebhookHandler.builder().provider("twilio").authToken(TOKEN)
        .accountSid(ACCOUNT).listener(listener).build();
    // the same handler with a listener that only counts: the webhook's own work without the routing decision
    TwilioWebhookHandler bareWebhook = TwilioWebhookHandler.builder().provider("twilio").authToken(TOKEN)
        .accountSid(ACCOUNT).listener(new ProviderListener() {
          @Override
          public void onInbound(InboundSms sms) {
            routed.incrementAndGet();
          }

          @Override
          public void onDeliveryReport(DeliveryReport report) {}
        }).build();
    // the same again without the de-duplication (window zero): what remembering the MessageSids costs
    TwilioWebhookHandler undeduplicated = TwilioWebhookHandler.builder().provider("twilio").authToken(TOKEN)
        .accountSid(ACCOUNT).deduplicationWindow(Duration.ZERO).listener(new ProviderListener() {
          @Override
          public void onInbound(InboundSms sms) {
            routed.incrementAndGet();
          }

          @Override
          public void onDeliveryReport(DeliveryReport report) {}
        }).build();
    SnsBenchMessages snsMessages = new SnsBenchMessages();
    EumSmsProvider eum = SnsBenchMessages.provider(listener);
    SnsWebhookHandler sns = snsMessages.handler(eum);

    List<Thread> serverThreads = new ArrayList<>();
    ExecutorService handlers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "webhook-handler-" + serverThreads.size());
      t.setDaemon(true);
      serverThreads.add(t);
      return t;
    });
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    boolean timed = attribute;
    java.util.function.BiConsumer<String, HttpHandler> context = (path, h) -> server.createContext(path,
        timed ? new Timed(h) : h);
    context.accept("/twilio/", new TwilioHttpServerHandler(webhook, URI.create(base)));
    context.accept("/sns/", sns.httpHandler());
    context.accept("/twilio-bare/", new TwilioHttpServerHandler(bareWebhook, URI.create(base)));
    context.accept("/twilio-nodedup/", new TwilioHttpServerHandler(undeduplicated, URI.create(base)));
    context.accept("/twilio-floor/", new TwilioFloorHandler(base, TOKEN, BUSINESS.address(), EMPTY_TWIML, routed));
    if (baselineClasses != null) {
      context.accept("/twilio-base/", baselineHandler(java.nio.file.Path.of(baselineClasses), listener,
          URI.create(base)));
    }
    // each side's own empty twin (its own context and handler object, as much traffic as the side's handler), so
    // that no twin is warmer in the caches for serving several sides; the A/A side compares two of them
    for (String twin : List.of("/empty/twilio/", "/empty/twilio-base/", "/empty/twilio-bare/",
        "/empty/twilio-floor/", "/empty/twilio-nodedup/", "/empty/a/", "/empty2/a/")) {
      context.accept(twin, new EmptyHandler(EMPTY_TWIML, "text/xml; charset=utf-8"));
    }
    context.accept("/empty/sns", new EmptyHandler("ok", "text/plain; charset=utf-8"));
    server.setExecutor(handlers);
    server.start();
    try {
      int warmUp = Math.max(2_000, requests / 4);
      int snsWarmUp = Math.min(warmUp, 2_000);
      List<Side> sides = new ArrayList<>();
      if (handlerNames.contains("twilio")) {
        sides.add(new Side("Twilio", requests, rounds, new TwilioForms(base, "/twilio/inbound/bench"),
            new TwilioForms(base, "/empty/twilio/inbound")));
      }
      if (baselineClasses != null) {
        sides.add(new Side("Twilio-base", requests, rounds, new TwilioForms(base, "/twilio-base/inbound/bench"),
            new TwilioForms(base, "/empty/twilio-base/inbound")));
      }
      if (handlerNames.contains("twilio-bare")) {
        sides.add(new Side("Twilio-bare", requests, rounds, new TwilioForms(base, "/twilio-bare/inbound/bench"),
            new TwilioForms(base, "/empty/twilio-bare/inbound")));
      }
      if (handlerNames.contains("twilio-nodedup")) {
        sides.add(new Side("Twilio-nodedup", requests, rounds, new TwilioForms(base,
            "/twilio-nodedup/inbound/bench"), new TwilioForms(base, "/empty/twilio-nodedup/inbound")));
      }
      if (handlerNames.contains("twilio-floor")) {
        sides.add(new Side("Twilio-floor", requests, rounds, new TwilioForms(base, "/twilio-floor/inbound/bench"),
            new TwilioForms(base, "/empty/twilio-floor/inbound")));
      }
      if (handlerNames.contains("empty")) {
        // A/A: the empty handler against its twin on another context; its spread is the noise floor of the ratios
        sides.add(new Side("Empty-A/A", requests, rounds, new TwilioForms(base, "/empty2/a/inbound"),
            new TwilioForms(base, "/empty/a/inbound")));
      }
      if (handlerNames.contains("sns")) {
        List<byte[]> bodies = snsMessages.sign(snsWarmUp + rounds * snsRequests, "+14255550182",
            SNS_BUSINESS.address());
        sides.add(new Side("SNS", snsRequests, rounds, new SnsPosts(base + "/sns/inbound", bodies, false),
            new SnsPosts(base + "/empty/sns", bodies, true)));
      }
      System.out.printf(Locale.ROOT, "Webhooks vs an empty handler, JDK HttpServer on loopback (nodelay, 2 handler"
          + " threads), %d clients, %s, %d rounds (+1 warm-up) of blocks of %d requests, Java %s, %d CPUs, load %s%n",
          CLIENTS, sides.stream().map(x -> x.name + " " + x.requests + " requests/round").toList(), rounds, block,
          Runtime.version(), Runtime.getRuntime().availableProcessors(), load());
      for (Side side : sides) {
        int n = side.name.equals("SNS") ? snsWarmUp : warmUp;
        run(side.empty, n, serverThreads);
        run(side.handler, n, serverThreads);
      }
      System.out.println("round  handler      empty us CPU/req  handler us CPU/req  CPU ratio  empty p99 us"
          + "  handler p99 us  p99 ratio  load");
      for (int round = 0; round < rounds; round++) {
        for (Side side : sides) {
          side.startRound();
        }
        // Blocks of each side's handler and empty twin run back to back, ABBA, the sides in turn: a change of load
        // on the machine falls on both halves of a ratio alike.
        int most = sides.stream().mapToInt(x -> x.requests).max().orElse(0);
        int blocks = (most + block - 1) / block;
        for (int b = 0; b < blocks; b++) {
          for (int k = 0; k < sides.size(); k++) {
            Side side = sides.get((k + b) % sides.size());
            int n = Math.min(block, side.requests - b * block);
            if (n <= 0) {
              continue;
            }
            Block e;
            Block h;
            if ((b + round) % 2 == 0) {
              e = run(side.empty, n, serverThreads);
              h = run(side.handler, n, serverThreads);
            } else {
              h = run(side.handler, n, serverThreads);
              e = run(side.empty, n, serverThreads);
            }
            side.emptyRound.add(e);
            side.handlerRound.add(h);
            side.pairRatios.add((double) h.serverCpuNs / e.serverCpuNs);
          }
        }
        String loadNow = load();
        for (Side side : sides) {
          side.endRound(round);
          System.out.printf(Locale.ROOT, "%5d  %-11s  %16.1f  %18.1f  %9.3f  %12.0f  %14.0f  %9.3f  %s%n", round + 1,
              side.name, side.emptyRound.cpuUs(), side.handlerRound.cpuUs(), side.cpuRatios[round],
              side.emptyRound.p99Us(), side.handlerRound.p99Us(), side.p99Ratios[round], loadNow);
        }
      }
      for (Side side : sides) {
        double[] pairs = side.pairRatios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s: CPU ratio of the %d back-to-back block pairs: median %.3f, quartiles"
            + " %.3f..%.3f%n", side.name, pairs.length, Median.of(pairs), pairs[pairs.length / 4],
            pairs[pairs.length * 3 / 4]);
      }
      for (Side side : sides) {
        double[] sorted = side.cpuRatios.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s median: CPU ratio %.3f (rounds %.3f..%.3f; handler threads only %.3f),"
            + " p99 ratio %.3f; server threads allocated %.0f bytes/request (empty handler %.0f)%s%n", side.name,
            Median.of(side.cpuRatios), sorted[0], sorted[sorted.length - 1], Median.of(side.handlerThreadRatios),
            Median.of(side.p99Ratios), Median.of(side.handlerBytes), Median.of(side.emptyBytes),
            side.name.equals("Twilio") ? " (goals <= 1.05, <= 1.10)" : side.name.equals("SNS") ? " (published)"
                : side.name.equals("Empty-A/A") ? " (the noise floor: 1.000 is no difference)" : "");
      }
      if (attribute) {
        for (Side side : sides) {
          System.out.printf(Locale.ROOT, "%s, CPU us per request (medians of rounds): inside handle() %.1f vs the"
              + " empty handler's %.1f; the server outside handle() %.1f vs %.1f%n", side.name,
              Median.of(side.handlerInsideUs), Median.of(side.emptyInsideUs), Median.of(side.handlerOutsideUs),
              Median.of(side.emptyOutsideUs));
        }
      }
      compare(sides, "Twilio", "Twilio-base", "these classes over " + baselineClasses);
      compare(sides, "Twilio", "Twilio-floor", "the real handler over the floor");
      compare(sides, "Twilio-bare", "Twilio-floor", "the real handler without routing over the floor");
      compare(sides, "Twilio-nodedup", "Twilio-floor", "without routing and de-duplication over the floor");
      compare(sides, "Twilio-bare", "Twilio-nodedup", "what the de-duplication costs");
      System.out.println("load at the end: " + load());
      System.out.printf(Locale.ROOT, "%d messages taken by the listeners (%s)%n", routed.get(),
          routing ? "the Twilio and SNS sides routed" : "--route false: no routing decision");
    } finally {
      server.stop(0);
      handlers.shutdownNow();
      eum.close();
    }
  }

  /**
   * Prints side {@code a}'s server CPU per request over side {@code b}'s, round by round (both measured in the same
   * rounds), when both ran.
   */
  private static void compare(List<Side> sides, String a, String b, String what) {
    Side x = sides.stream().filter(s -> s.name.equals(a)).findFirst().orElse(null);
    Side y = sides.stream().filter(s -> s.name.equals(b)).findFirst().orElse(null);
    if (x == null || y == null) {
      return;
    }
    int rounds = x.handlerCpuUs.length;
    double[] change = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      change[r] = x.handlerCpuUs[r] / y.handlerCpuUs[r];
    }
    double[] sorted = change.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "%s over %s (%s): server CPU per request %.3f (rounds %.3f..%.3f); CPU ratios to"
        + " the empty handler %.3f vs %.3f%n", a, b, what, Median.of(change), sorted[0], sorted[sorted.length - 1],
        Median.of(x.cpuRatios), Median.of(y.cpuRatios));
  }

  /** One webhook and its empty twin, with the per-round ratios. */
  private static final class Side {
    final String name;
    final int requests;
    final RequestSource handler;
    final RequestSource empty;
    final double[] cpuRatios;
    final double[] handlerThreadRatios;
    final double[] p99Ratios;
    final double[] handlerCpuUs;
    final double[] handlerBytes;
    final double[] emptyBytes;
    final double[] handlerInsideUs;
    final double[] emptyInsideUs;
    final double[] handlerOutsideUs;
    final double[] emptyOutsideUs;
    final List<Double> pairRatios = new ArrayList<>();
    Blocks handlerRound;
    Blocks emptyRound;

    Side(String name, int requests, int rounds, RequestSource handler, RequestSource empty) {
      this.cpuRatios = new double[rounds];
      this.handlerThreadRatios = new double[rounds];
      this.p99Ratios = new double[rounds];
      this.handlerCpuUs = new double[rounds];
      this.handlerBytes = new double[rounds];
      this.handlerInsideUs = new double[rounds];
      this.emptyInsideUs = new double[rounds];
      this.handlerOutsideUs = new double[rounds];
      this.emptyOutsideUs = new double[rounds];
      this.emptyBytes = new double[rounds];
      this.name = name;
      this.requests = requests;
      this.handler = handler;
      this.empty = empty;
    }

    void startRound() {
      handlerRound = new Blocks();
      emptyRound = new Blocks();
    }

    void endRound(int round) {
      handlerCpuUs[round] = handlerRound.cpuUs();
      handlerBytes[round] = handlerRound.bytesPerRequest();
      handlerInsideUs[round] = handlerRound.insideUs();
      emptyInsideUs[round] = emptyRound.insideUs();
      handlerOutsideUs[round] = handlerRound.cpuUs() - handlerRound.insideUs();
      emptyOutsideUs[round] = emptyRound.cpuUs() - emptyRound.insideUs();
      emptyBytes[round] = emptyRound.bytesPerRequest();
      cpuRatios[round] = handlerRound.cpuUs() / emptyRound.cpuUs();
      handlerThreadRatios[round] = handlerRound.handlerThreadsUs() / emptyRound.handlerThreadsUs();
      p99Ratios[round] = handlerRound.p99Us() / emptyRound.p99Us();
    }
  }

  /** The blocks one source ran in a round: their CPU and latencies summed up. */
  private static final class Blocks {
    long requests;
    long serverCpuNs;
    long handlerThreadsCpuNs;
    long allocatedBytes;
    long insideNs;
    final List<long[]> latencies = new ArrayList<>();

    void add(Block b) {
      requests += b.requests;
      serverCpuNs += b.serverCpuNs;
      handlerThreadsCpuNs += b.handlerThreadsCpuNs;
      allocatedBytes += b.allocatedBytes;
      insideNs += b.insideNs;
      latencies.add(b.latenciesNs);
    }

    /** Server threads' CPU (the dispatcher's and the handler threads') per request, microseconds. */
    double cpuUs() {
      return serverCpuNs / 1e3 / requests;
    }

    double insideUs() {
      return insideNs / 1e3 / requests;
    }

    double bytesPerRequest() {
      return allocatedBytes / (double) requests;
    }

    double handlerThreadsUs() {
      return handlerThreadsCpuNs / 1e3 / requests;
    }

    double p99Us() {
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e3;
    }
  }

  /**
   * With {@code --attribute true}: the calling thread's CPU inside the handler's {@code handle}, summed, so that a
   * side's CPU per request splits into the handler's own (inside) and the server's (outside). Reading the thread's
   * CPU clock twice per request costs both sides alike.
   */
  private static final class Timed implements HttpHandler {
    static final java.util.concurrent.atomic.LongAdder INSIDE_NS = new java.util.concurrent.atomic.LongAdder();
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private final HttpHandler inner;

    Timed(HttpHandler inner) {
      this.inner = inner;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      long t0 = MX.getCurrentThreadCpuTime();
      try {
        inner.handle(exchange);
      } finally {
        INSIDE_NS.add(MX.getCurrentThreadCpuTime() - t0);
      }
    }
  }

  /** One block of requests to one source. */
  private record Block(int requests, long serverCpuNs, long handlerThreadsCpuNs, long allocatedBytes,
      long insideNs, long[] latenciesNs) {}

  /**
   * The same webhook (routing listener, token, account, public base) built from another build's sms-twilio classes in
   * {@code dir}, loaded by a class loader of their own, so that two builds are measured interleaved in one run.
   */
  private static HttpHandler baselineHandler(java.nio.file.Path dir, ProviderListener listener, URI base)
      throws Exception {
    ClassLoader parent = TwilioWebhookBenchmark.class.getClassLoader();
    java.net.URLClassLoader loader = new java.net.URLClassLoader(new URL[] {dir.toUri().toURL()}, parent) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.smsgateway.twilio.")) {
          return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            c = findClass(name); // this build's class, never the parent's
          }
          if (resolve) {
            resolveClass(c);
          }
          return c;
        }
      }
    };
    Class<?> handlerClass = loader.loadClass("dev.smsgateway.twilio.TwilioWebhookHandler");
    Object b = handlerClass.getMethod("builder").invoke(null);
    Class<?> builderClass = b.getClass();
    builderClass.getMethod("provider", String.class).invoke(b, "twilio");
    builderClass.getMethod("authToken", String.class, String[].class).invoke(b, TOKEN, new String[0]);
    builderClass.getMethod("accountSid", String.class).invoke(b, ACCOUNT);
    builderClass.getMethod("listener", ProviderListener.class).invoke(b, listener);
    Object webhook = builderClass.getMethod("build").invoke(b);
    return (HttpHandler) loader.loadClass("dev.smsgateway.twilio.TwilioHttpServerHandler")
        .getConstructor(handlerClass, URI.class).newInstance(webhook, base);
  }

  /** The 1, 5 and 15 minute load averages, as uptime prints them. */
  static String load() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** Sends {@code requests} requests from the client threads; returns the server's CPU and the latencies. */
  private static Block run(RequestSource source, int requests, List<Thread> serverThreads) throws Exception {
    AtomicInteger left = new AtomicInteger(requests);
    long[][] latencies = new long[CLIENTS][];
    List<Thread> threads = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    for (int c = 0; c < CLIENTS; c++) {
      int index = c;
      threads.add(new Thread(() -> {
        long[] mine = new long[requests];
        int n = 0;
        while (left.getAndDecrement() > 0) {
          long t0 = System.nanoTime();
          try {
            if (source.post() != 200) {
              failures.incrementAndGet();
            }
          } catch (IOException e) {
            failures.incrementAndGet();
          }
          mine[n++] = System.nanoTime() - t0;
        }
        latencies[index] = Arrays.copyOf(mine, n);
      }, "webhook-client-" + c));
    }
    long inside0 = Timed.INSIDE_NS.sum();
    long[] cpu0 = serverCpu(serverThreads);
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    long[] cpu1 = serverCpu(serverThreads);
    if (failures.get() > 0) {
      throw new IllegalStateException(source + ": " + failures.get() + " requests failed");
    }
    return new Block(requests, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], cpu1[2] - cpu0[2], Timed.INSIDE_NS.sum() - inside0,
        Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray());
  }

  /**
   * {the server's threads' CPU nanoseconds (dispatcher and handler threads), the handler threads' alone, the bytes
   * the server's threads allocated}.
   */
  private static long[] serverCpu(List<Thread> handlerThreads) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    long handlers = 0;
    long allocated = 0;
    for (Thread t : handlerThreads) {
      handlers += Math.max(0, mx.getThreadCpuTime(t.getId()));
      allocated += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
    }
    total += handlers;
    for (Thread t : dispatchers()) {
      total += Math.max(0, mx.getThreadCpuTime(t.getId()));
      allocated += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
    }
    return new long[] {total, handlers, allocated};
  }

  private static List<Thread> dispatcherThreads;

  private static List<Thread> dispatchers() {
    if (dispatcherThreads == null) {
      dispatcherThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("HTTP-Dispatcher")).toList();
    }
    return dispatcherThreads;
  }


  /**
   * The routing engine behind both webhook benchmarks: each business number's messages queue to "sales", on in-memory
   * stores, so every request costs a routing decision that opens or joins a conversation.
   */
  static RoutingEngine routingEngine() {
    return RoutingEngine.builder()
        .configuration(RoutingConfiguration.builder()
            .addMapping(Mapping.builder("bench").provider("twilio").defaultCountry("US").delivery(Delivery.QUEUE)
                .originatorTtl(Duration.ofHours(24))
                .addNumber(n -> n.number(BUSINESS.address()).displayName("Bench").queue("sales")))
            .addMapping(Mapping.builder("bench-sns").provider("aws").defaultCountry("US").delivery(Delivery.QUEUE)
                .originatorTtl(Duration.ofHours(24))
                .addNumber(n -> n.number(SNS_BUSINESS.address()).displayName("Bench SNS").queue("sales")))
            .build())
        .originatorStore(new InMemoryOriginatorStore(java.time.Clock.systemUTC())).optOutStore(new InMemoryOptOutStore())
        .conversationStore(new InMemoryConversationStore()).build();
  }
}
