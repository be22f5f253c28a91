package dev.smsgateway.benchmarks.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.benchmarks.Median;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook handling, each against an empty handler on the same JDK {@code HttpServer} that reads the
 * same bodies: Twilio inbound-message webhooks through {@link TwilioHttpServerHandler} (the signature check, the form
 * parsing, the de-duplication and a routing decision by a {@link RoutingEngine} with in-memory stores), and SNS
 * notifications carrying two-way SMS through {@link SnsWebhookHandler#httpHandler()} (JSON parsing, the certificate
 * URL and certificate checks, an RSA-2048 SHA256withRSA signature verification per message, the de-duplication and
 * the same routing decision). Goals: Twilio <= 1.05x server CPU per request and <= 1.10x p99 latency; SNS published.
 *
 * <p>Server CPU is the CPU time of the server's threads only (its dispatcher and its two handler threads, read
 * through {@link ThreadMXBean}), so the client's work does not dilute the ratio. Latency is measured by the two
 * client threads, each sending its requests one after the other over keep-alive connections. Each round runs every
 * handler and its empty twin, alternating the order; the result is the median of the per-round ratios. Every SNS
 * message has its own MessageId and signature (signed before the rounds, since signing costs the client about a
 * millisecond), so no verification is skipped as a redelivery. The routing decision's INFO log event is built and
 * sent to a no-op appender (see logback.xml): what writing it costs depends on the application's appender.
 *
 * <p>Run: {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-webhook -Dbench.args="--requests 20000
 * --rounds 7"}; {@code --route false} leaves the routing decision out; {@code --handlers twilio} or {@code sns} runs
 * one side only; {@code --sns-requests N} sets the SNS requests per round (default the smaller of
 * {@code --requests} and 4,000). Two more sides, for attribution, are run when named in {@code --handlers}:
 * {@code twilio-bare} (the same Twilio handler whose listener only counts: the webhook without the routing
 * decision) and {@code empty} (the empty handler against its twin on another context, an A/A comparison whose
 * spread is the noise floor of every ratio in that run), e.g. {@code --handlers twilio,twilio-bare,empty}.
 *
 * <p>Not thread-safe; a program.
 */
public final class TwilioWebhookBenchmark {

  private static final String TOKEN = "bench-auth-token-0123456789abcdef";
  private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  static final Originator SNS_BUSINESS = Originator.longCode(PhoneNumber.of("+14155550198"));
  private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";
  private static final int CLIENTS = 2;

  private TwilioWebhookBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = 20_000;
    int rounds = 7;
    int snsRequests = -1;
    boolean route = true;
    String handlersArg = "twilio,sns";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--requests" -> requests = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--route" -> route = Boolean.parseBoolean(args[i + 1]);
        case "--handlers" -> handlersArg = args[i + 1];
        case "--sns-requests" -> snsRequests = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --requests N"
            + " --rounds N --route true|false --handlers twilio,sns --sns-requests N");
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
    server.createContext("/twilio/", new TwilioHttpServerHandler(webhook, URI.create(base)));
    server.createContext("/sns/", sns.httpHandler());
    server.createContext("/twilio-bare/", new TwilioHttpServerHandler(bareWebhook, URI.create(base)));
    server.createContext("/empty/", new EmptyHandler());
    server.createContext("/empty2/", new EmptyHandler());
    server.setExecutor(handlers);
    server.start();
    try {
      int warmUp = Math.max(2_000, requests / 4);
      int snsWarmUp = Math.min(warmUp, 2_000);
      List<Side> sides = new ArrayList<>();
      if (handlerNames.contains("twilio")) {
        sides.add(new Side("Twilio", requests, rounds, new TwilioForms(base, "/twilio/inbound/bench"),
            new TwilioForms(base, "/empty/twilio")));
      }
      if (handlerNames.contains("twilio-bare")) {
        sides.add(new Side("Twilio-bare", requests, rounds, new TwilioForms(base, "/twilio-bare/inbound/bench"),
            new TwilioForms(base, "/empty/twilio")));
      }
      if (handlerNames.contains("empty")) {
        // A/A: the empty handler against its twin on another context; its spread is the noise floor of the ratios
        sides.add(new Side("Empty-A/A", requests, rounds, new TwilioForms(base, "/empty2/twilio"),
            new TwilioForms(base, "/empty/twilio")));
      }
      if (handlerNames.contains("sns")) {
        List<byte[]> bodies = snsMessages.sign(snsWarmUp + rounds * snsRequests, "+14255550182",
            SNS_BUSINESS.address());
        sides.add(new Side("SNS", snsRequests, rounds, new SnsPosts(base + "/sns/inbound", bodies, false),
            new SnsPosts(base + "/empty/sns", bodies, true)));
      }
      System.out.printf(Locale.ROOT, "Webhooks vs an empty handler, JDK HttpServer on loopback (nodelay, 2 handler"
          + " threads), %d clients, %s, %d rounds (+1 warm-up), Java %s, %d CPUs%n", CLIENTS,
          sides.stream().map(x -> x.name + " " + x.requests + " requests/round").toList(), rounds, Runtime.version(),
          Runtime.getRuntime().availableProcessors());
      for (Side side : sides) {
        int n = side.name.equals("SNS") ? snsWarmUp : warmUp;
        run(side.empty, n, serverThreads);
        run(side.handler, n, serverThreads);
      }
      System.out.println("round  handler  empty us CPU/req  handler us CPU/req  CPU ratio  empty p99 us"
          + "  handler p99 us  p99 ratio");
      for (int round = 0; round < rounds; round++) {
        List<Side> order = new ArrayList<>(sides);
        if (round % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (Side side : order) {
          double[] empty;
          double[] hook;
          if (round % 2 == 0) {
            empty = run(side.empty, side.requests, serverThreads);
            hook = run(side.handler, side.requests, serverThreads);
          } else {
            hook = run(side.handler, side.requests, serverThreads);
            empty = run(side.empty, side.requests, serverThreads);
          }
          side.cpuRatios[round] = hook[0] / empty[0];
          side.p99Ratios[round] = hook[1] / empty[1];
          System.out.printf(Locale.ROOT, "%5d  %-7s  %16.1f  %18.1f  %9.3f  %12.0f  %14.0f  %9.3f%n", round + 1,
              side.name, empty[0], hook[0], side.cpuRatios[round], empty[1], hook[1], side.p99Ratios[round]);
        }
      }
      for (Side side : sides) {
        double[] sorted = side.cpuRatios.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s median: CPU ratio %.3f (rounds %.3f..%.3f), p99 ratio %.3f%s%n", side.name,
            Median.of(side.cpuRatios), sorted[0], sorted[sorted.length - 1], Median.of(side.p99Ratios),
            side.name.equals("Twilio") ? " (goals <= 1.05, <= 1.10)" : side.name.equals("SNS") ? " (published)"
                : "");
      }
      System.out.printf(Locale.ROOT, "%d messages taken by the listeners (%s)%n", routed.get(),
          routing ? "the Twilio and SNS sides routed" : "--route false: no routing decision");
    } finally {
      server.stop(0);
      handlers.shutdownNow();
      eum.close();
    }
  }

  /** One webhook and its empty twin, with the per-round ratios. */
  private static final class Side {
    final String name;
    final int requests;
    final RequestSource handler;
    final RequestSource empty;
    final double[] cpuRatios;
    final double[] p99Ratios;

    Side(String name, int requests, int rounds, RequestSource handler, RequestSource empty) {
      this.cpuRatios = new double[rounds];
      this.p99Ratios = new double[rounds];
      this.name = name;
      this.requests = requests;
      this.handler = handler;
      this.empty = empty;
    }
  }

  /**
   * Reads the body and answers what the webhook answers for an inbound message: empty TwiML under {@code /empty/twilio},
   * "ok" as plain text (the SNS handler's answer) under {@code /empty/sns}.
   */
  private static final class EmptyHandler implements HttpHandler {
    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        boolean sns = exchange.getRequestURI().getPath().startsWith("/empty/sns");
        byte[] bytes = (sns ? "ok" : EMPTY_TWIML).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", sns ? "text/plain; charset=utf-8" : "text/xml; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  /** The requests one side sends; {@link #post} is called from the client threads. */
  private interface RequestSource {
    /** Sends one request and returns its status. */
    int post() throws IOException;
  }

  /** Returns {server CPU microseconds per request, p99 latency in microseconds} for {@code requests} requests. */
  private static double[] run(RequestSource source, int requests, List<Thread> serverThreads) throws Exception {
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
    long cpu0 = serverCpu(serverThreads);
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    long cpu = serverCpu(serverThreads) - cpu0;
    if (failures.get() > 0) {
      throw new IllegalStateException(source + ": " + failures.get() + " requests failed");
    }
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new double[] {cpu / 1e3 / requests, all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e3};
  }

  private static int send(String url, String contentType, String header, String value, byte[] bytes)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", contentType);
    c.setRequestProperty(header, value);
    c.setFixedLengthStreamingMode(bytes.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(bytes);
    }
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    return status;
  }

  /** Signed Twilio form posts, each with its own MessageSid, built and signed by the client thread. */
  private static final class TwilioForms implements RequestSource {
    private final String url;
    private final AtomicLong sequence = new AtomicLong();

    TwilioForms(String base, String path) {
      this.url = base + path;
    }

    @Override
    public int post() throws IOException {
      long n = sequence.incrementAndGet();
      Map<String, String> form = new TreeMap<>();
      form.put("AccountSid", ACCOUNT);
      form.put("Body", "On my way");
      form.put("From", "+1415" + (2_000_000 + n % 200_000));
      form.put("MessageSid", String.format(Locale.ROOT, "SM%032x", n));
      form.put("NumMedia", "0");
      form.put("SmsStatus", "received");
      form.put("To", BUSINESS.address());
      StringBuilder body = new StringBuilder();
      StringBuilder signed = new StringBuilder(url);
      for (Map.Entry<String, String> e : form.entrySet()) {
        if (body.length() > 0) {
          body.append('&');
        }
        body.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        signed.append(e.getKey()).append(e.getValue());
      }
      return send(url, "application/x-www-form-urlencoded", "X-Twilio-Signature", sign(signed.toString()),
          body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String data) {
      try {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return url;
    }
  }

  /**
   * SNS notification posts from the bodies signed beforehand. The SNS handler gets each body once; the empty handler
   * ({@code reuse}) cycles through them.
   */
  private static final class SnsPosts implements RequestSource {
    private final String url;
    private final List<byte[]> bodies;
    private final boolean reuse;
    private final AtomicInteger next = new AtomicInteger();

    SnsPosts(String url, List<byte[]> bodies, boolean reuse) {
      this.url = url;
      this.bodies = bodies;
      this.reuse = reuse;
    }

    @Override
    public int post() throws IOException {
      int i = next.getAndIncrement();
      if (i >= bodies.size() && !reuse) {
        throw new IllegalStateException("ran out of signed SNS messages");
      }
      return send(url, "text/plain; charset=UTF-8", "x-amz-sns-message-type", "Notification",
          bodies.get(i % bodies.size()));
    }

    @Override
    public String toString() {
      return url;
    }
  }

  private static long serverCpu(List<Thread> handlerThreads) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("HTTP-Dispatcher") || handlerThreads.contains(t)) {
        long c = mx.getThreadCpuTime(t.getId());
        total += Math.max(0, c);
      }
    }
    return total;
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
