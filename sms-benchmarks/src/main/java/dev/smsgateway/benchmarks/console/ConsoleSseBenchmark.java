package dev.smsgateway.benchmarks.console;

import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.benchmarks.Median;
import dev.smsgateway.console.ConsoleServer;
import dev.smsgateway.console.SmsConsole;
import dev.smsgateway.console.StaticTokenAuthenticator;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's event stream with 200 agents connected: inbound messages handed to the {@link ConversationService}
 * (routing, in-memory stores, the console's listener, JSON, the JDK HttpServer's chunked writes) until each agent's
 * client has read the {@code message} event, against a baseline measured in the same run: a bare SSE server on the
 * same JDK HttpServer, the same 200 clients, frames of the same size written from per-client queues by a publisher
 * (no routing, no JSON). Reports events per second received by all clients together, and latency from
 * {@code handle(sms)} (baseline: from the offer) to the line read by the client: p50 and p99.
 *
 * <p>Args: {@code [rounds=3] [agents=200] [eventsPerRound=20000] [senders=2]}. Not thread-safe (a program).
 */
public final class ConsoleSseBenchmark {

  private static final Pattern STAMP = Pattern.compile("t=(\\d+)");

  private ConsoleSseBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int events = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int senders = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    System.out.printf(Locale.ROOT, "console SSE fan-out: %d agents, %d events a round, %d sending threads, %d cores%n",
        agents, events, senders, Runtime.getRuntime().availableProcessors());
    double[] consoleRate = new double[rounds];
    double[] baseRate = new double[rounds];
    double[] consoleP99 = new double[rounds];
    double[] baseP99 = new double[rounds];
    try (Console console = new Console(agents); Baseline baseline = new Baseline(agents)) {
      console.run(Math.max(1000, events / 10), senders); // warm-up
      baseline.run(Math.max(1000, events / 10), senders);
      for (int r = 0; r < rounds; r++) {
        Result b = baseline.run(events, senders);
        Result c = console.run(events, senders);
        baseRate[r] = b.perSecond;
        consoleRate[r] = c.perSecond;
        baseP99[r] = b.p99Micros;
        consoleP99[r] = c.p99Micros;
        System.out.printf(Locale.ROOT, "round %d: console %,.0f events/s (p50 %,.0f us, p99 %,.0f us); baseline %,.0f "
            + "events/s (p50 %,.0f us, p99 %,.0f us); ratio %.2fx%n", r + 1, c.perSecond, c.p50Micros, c.p99Micros,
            b.perSecond, b.p50Micros, b.p99Micros, c.perSecond / b.perSecond);
      }
    }
    System.out.printf(Locale.ROOT, "median: console %,.0f events/s, p99 %,.0f us; baseline %,.0f events/s, p99 %,.0f us;"
        + " throughput ratio %.2fx%n", Median.of(consoleRate), Median.of(consoleP99), Median.of(baseRate),
        Median.of(baseP99), Median.of(consoleRate) / Median.of(baseRate));
  }

  record Result(double perSecond, double p50Micros, double p99Micros) {}

  /** 200 raw-socket SSE clients, one reader thread each, recording latency from the stamp in each data line. */
  static final class Clients implements AutoCloseable {
    final List<Socket> sockets = new ArrayList<>();
    final long[] latencies;
    final AtomicInteger received = new AtomicInteger();
    volatile CountDownLatch done = new CountDownLatch(0);
    volatile int expected;

    Clients(int port, int count, int maxEvents, java.util.function.IntFunction<String> request) throws IOException {
      latencies = new long[maxEvents * 2];
      for (int i = 0; i < count; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        out.write(request.apply(i).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        sockets.add(s);
        Thread t = new Thread(() -> read(s), "sse-client-" + i);
        t.setDaemon(true);
        t.start();
      }
    }

    private void read(Socket s) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.startsWith("data: ")) {
            continue;
          }
          Matcher m = STAMP.matcher(line);
          if (!m.find()) {
            continue;
          }
          long latency = System.nanoTime() - Long.parseLong(m.group(1));
          int n = received.getAndIncrement();
          if (n < latencies.length) {
            latencies[n] = latency;
          }
          if (n + 1 == expected) {
            done.countDown();
          }
        }
      } catch (IOException e) {
        // closed at the end
      }
    }

    Result measure(int events, Runnable send) throws InterruptedException {
      received.set(0);
      expected = events;
      done = new CountDownLatch(1);
      long start = System.nanoTime();
      send.run();
      if (!done.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("only " + received.get() + " of " + events + " events arrived");
      }
      long elapsed = System.nanoTime() - start;
      long[] l = Arrays.copyOf(latencies, events);
      Arrays.sort(l);
      return new Result(events / (elapsed / 1e9), l[events / 2] / 1000.0, l[(int) (events * 0.99)] / 1000.0);
    }

    @Override
    public void close() throws IOException {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** The console with one open conversation per agent; customers write, each agent's stream gets the message. */
  static final class Console implements AutoCloseable {
    static final String BUSINESS = "+14155550100";
    final ConversationService service;
    final SmsConsole console;
    final ConsoleServer server;
    final Clients clients;
    final List<PhoneNumber> customers = new ArrayList<>();
    final Originator business = Originator.longCode(PhoneNumber.of(BUSINESS));

    Console(int agents) throws Exception {
      Clock clock = Clock.systemUTC();
      RoutingConfiguration configuration = RoutingConfiguration.builder()
          .addMapping(Mapping.builder("support").provider("bench").defaultCountry("US")
              .addNumber(n -> n.number(BUSINESS).displayName("ACME Support").queue("support")))
          .build();
      service = ConversationService.builder().configuration(configuration)
          .originatorStore(new InMemoryOriginatorStore(clock)).optOutStore(new InMemoryOptOutStore())
          .conversationStore(new InMemoryConversationStore(clock)).clock(clock).automaticSweeps(false).build();
      service.bind(sms -> CompletableFuture.completedFuture(new SendReceipt(UUID.randomUUID().toString(), "bench",
          List.of(), 1, Instant.now(), Map.of())));
      StaticTokenAuthenticator.Builder tokens = StaticTokenAuthenticator.builder();
      for (int i = 0; i < agents; i++) {
        String agent = "agent-" + i;
        service.registerAgent(agent, 5, Set.of("support"));
        service.setPresence(agent, Presence.AVAILABLE);
        tokens.token("bench-token-" + agent + "-0123456789", agent);
        PhoneNumber customer = PhoneNumber.of("+1415556" + String.format("%04d", i));
        customers.add(customer);
        service.startOutbound(agent, BUSINESS, customer.e164(), "Hello", null).get(5, TimeUnit.SECONDS);
      }
      console = SmsConsole.builder().conversationService(service).authenticator(tokens.build())
          .rateLimit(10_000, 100_000).maxStreamsPerAgent(1).eventBuffer(100_000).build();
      server = console.start(new InetSocketAddress("127.0.0.1", 0));
      int port = server.address().getPort();
      clients = new Clients(port, agents, 200_000, i -> "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nAuthorization: Bearer bench-token-agent-" + i + "-0123456789\r\nAccept: text/event-stream\r\n\r\n");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (console.openStreams() < agents && System.nanoTime() < end) {
        Thread.sleep(10); // setup only: waits for the clients' streams to open
      }
      if (console.openStreams() < agents) {
        throw new IllegalStateException("only " + console.openStreams() + " streams opened");
      }
    }

    Result run(int events, int senders) throws InterruptedException {
      return clients.measure(events, () -> drive(events, senders, i -> {
        PhoneNumber customer = customers.get(i % customers.size());
        service.handle(InboundSms.builder().provider("bench").providerMessageId("m" + i).from(customer)
            .to(business).body("t=" + System.nanoTime()).receivedAt(Instant.now()).build());
      }));
    }

    @Override
    public void close() throws IOException {
      clients.close();
      server.close();
      service.close();
    }
  }

  /** A bare SSE server on the same JDK HttpServer: a queue per client, frames of the console's size. */
  static final class Baseline implements AutoCloseable {
    final HttpServer server;
    final ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "baseline-sse");
      t.setDaemon(true);
      return t;
    });
    final Map<Integer, BlockingQueue<byte[]>> queues = new ConcurrentHashMap<>();
    final Clients clients;
    final int agents;
    final String padding;

    Baseline(int agents) throws IOException {
      this.agents = agents;
      // A console message event is about 480 bytes of JSON: pad the baseline's frames to the same size.
      this.padding = "x".repeat(440);
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(executor);
      server.createContext("/events/", x -> {
        int id = Integer.parseInt(x.getRequestURI().getPath().substring("/events/".length()));
        BlockingQueue<byte[]> q = new ArrayBlockingQueue<>(100_000);
        queues.put(id, q);
        x.getResponseHeaders().set("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
          while (true) {
            byte[] frame = q.take();
            out.write(frame);
            out.flush();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (IOException e) {
          // client gone
        }
      });
      server.start();
      int port = server.getAddress().getPort();
      clients = new Clients(port, agents, 200_000, i -> "GET /events/" + i + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\n\r\n");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (queues.size() < agents && System.nanoTime() < end) {
        try {
          Thread.sleep(10); // setup only
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    Result run(int events, int senders) throws InterruptedException {
      return clients.measure(events, () -> drive(events, senders, i -> {
        byte[] frame = ("id: " + i + "\nevent: message\ndata: {\"text\":\"t=" + System.nanoTime() + "\",\"p\":\""
            + padding + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
        queues.get(i % agents).offer(frame);
      }));
    }

    @Override
    public void close() throws IOException {
      clients.close();
      server.stop(0);
      executor.shutdownNow();
    }
  }

  static void drive(int events, int senders, java.util.function.IntConsumer send) {
    Thread[] threads = new Thread[senders];
    AtomicInteger next = new AtomicInteger();
    for (int s = 0; s < senders; s++) {
      threads[s] = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < events) {
          send.accept(i);
        }
      });
      threads[s].start();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
