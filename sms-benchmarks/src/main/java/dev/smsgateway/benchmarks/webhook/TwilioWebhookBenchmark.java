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
 * Webhook handling (docs/performance.md): Twilio inbound-message webhooks through {@link TwilioHttpServerHandler} — the
 * signature check, the form parsing, the de-duplication and a routing decision by a {@link RoutingEngine} with
 * in-memory stores — against an empty handler on the same JDK {@code HttpServer} that reads the same body and
 * answers the same empty TwiML. Goals: <= 1.10x server CPU per request and <= 1.2x p99 latency.
 *
 * <p>Server CPU is the CPU time of the server's threads only (its dispatcher and its two handler threads, read
 * through {@link ThreadMXBean}), so the client's work does not dilute the ratio. Latency is measured by the two
 * client threads, each sending its requests one after the other over keep-alive connections. Rounds alternate which
 * handler goes first; the result is the median of the per-round ratios. The routing decision's INFO log event is
 * built and sent to a no-op appender (see logback.xml): what writing it costs depends on the application's appender.
 *
 * <p>Run: {@code mvn -B -q -pl sms-benchmarks -am verify -DskipTests -Pbench-webhook -Dbench.args="--requests 20000
 * --rounds 7"}; {@code --route false} leaves the routing decision out (signature, parsing and de-duplication only).
 *
 * <p>Not thread-safe; a program.
 */
public final class TwilioWebhookBenchmark {

  private static final String TOKEN = "bench-auth-token-0123456789abcdef";
  private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";
  private static final int CLIENTS = 2;

  private TwilioWebhookBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = 20_000;
    int rounds = 7;
    boolean route = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--requests" -> requests = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--route" -> route = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --requests N"
            + " --rounds N --route true|false");
      }
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("http.maxConnections", String.valueOf(CLIENTS * 2));
    AtomicInteger routed = new AtomicInteger();
    RoutingEngine engine = RoutingEngine.builder()
        .configuration(RoutingConfiguration.builder()
            .addMapping(Mapping.builder("bench").provider("twilio").defaultCountry("US").delivery(Delivery.QUEUE)
                .originatorTtl(Duration.ofHours(24))
                .addNumber(n -> n.number(BUSINESS.address()).displayName("Bench").queue("sales")))
            .build())
        .originatorStore(new InMemoryOriginatorStore(java.time.Clock.systemUTC())).optOutStore(new InMemoryOptOutStore())
        .conversationStore(new InMemoryConversationStore()).build();
    boolean routing = route;
    TwilioWebhookHandler webhook = TwilioWebhookHandler.builder().provider("twilio").authToken(TOKEN)
        .accountSid(ACCOUNT).listener(new ProviderListener() {
          @Override
          public void onInbound(InboundSms sms) {
            if (routing) {
              engine.route(sms);
            }
            routed.incrementAndGet();
          }

          @Override
          public void onDeliveryReport(DeliveryReport report) {}
        }).build();

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
    server.createContext("/empty/", new EmptyHandler());
    server.setExecutor(handlers);
    server.start();
    try {
      System.out.printf(Locale.ROOT, "Twilio inbound webhook vs an empty handler, JDK HttpServer on loopback (nodelay,"
          + " 2 handler threads), %d clients, %d requests/round, %d rounds (+1 warm-up), Java %s, %d CPUs%n",
          CLIENTS, requests, rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
      Client client = new Client(base);
      client.run("/empty/", Math.max(2_000, requests / 4), serverThreads);
      client.run("/twilio/inbound/bench", Math.max(2_000, requests / 4), serverThreads);
      System.out.println("round  empty us CPU/req  webhook us CPU/req  CPU ratio  empty p99 us  webhook p99 us"
          + "  p99 ratio");
      double[] cpuRatios = new double[rounds];
      double[] p99Ratios = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        double[] empty;
        double[] hook;
        if (round % 2 == 0) {
          empty = client.run("/empty/", requests, serverThreads);
          hook = client.run("/twilio/inbound/bench", requests, serverThreads);
        } else {
          hook = client.run("/twilio/inbound/bench", requests, serverThreads);
          empty = client.run("/empty/", requests, serverThreads);
        }
        cpuRatios[round] = hook[0] / empty[0];
        p99Ratios[round] = hook[1] / empty[1];
        System.out.printf(Locale.ROOT, "%5d  %16.1f  %18.1f  %9.3f  %12.0f  %14.0f  %9.3f%n", round + 1, empty[0],
            hook[0], cpuRatios[round], empty[1], hook[1], p99Ratios[round]);
      }
      System.out.printf(Locale.ROOT, "median: CPU ratio %.3f (goal <= 1.10), p99 ratio %.3f (goal <= 1.2); %d"
          + " messages %s%n", Median.of(cpuRatios), Median.of(p99Ratios), routed.get(),
          routing ? "routed" : "handed to the listener (--route false: no routing decision)");
    } finally {
      server.stop(0);
      handlers.shutdownNow();
    }
  }

  /** Reads the body and answers what the webhook answers for an inbound message: empty TwiML. */
  private static final class EmptyHandler implements HttpHandler {
    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = EMPTY_TWIML.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  /** Signed Twilio form posts from {@link #CLIENTS} threads over keep-alive connections. */
  private static final class Client {
    private final String base;
    private final AtomicLong sequence = new AtomicLong();

    Client(String base) {
      this.base = base;
    }

    /** Returns {server CPU microseconds per request, p99 latency in microseconds}. */
    double[] run(String path, int requests, List<Thread> serverThreads) throws Exception {
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
              if (post(path) != 200) {
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
        throw new IllegalStateException(path + ": " + failures.get() + " requests failed");
      }
      long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
      return new double[] {cpu / 1e3 / requests, all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e3};
    }

    private int post(String path) throws IOException {
      long n = sequence.incrementAndGet();
      Map<String, String> form = new TreeMap<>();
      form.put("AccountSid", ACCOUNT);
      form.put("Body", "On my way");
      form.put("From", "+1415" + (2_000_000 + n % 200_000));
      form.put("MessageSid", String.format(Locale.ROOT, "SM%032x", n));
      form.put("NumMedia", "0");
      form.put("SmsStatus", "received");
      form.put("To", BUSINESS.address());
      String url = base + path;
      StringBuilder body = new StringBuilder();
      StringBuilder signed = new StringBuilder(url);
      for (Map.Entry<String, String> e : form.entrySet()) {
        if (body.length() > 0) {
          body.append('&');
        }
        body.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        signed.append(e.getKey()).append(e.getValue());
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
      c.setRequestProperty("X-Twilio-Signature", sign(signed.toString()));
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

    private static String sign(String data) {
      try {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
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

}
