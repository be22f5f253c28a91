package dev.smsgateway.benchmarks.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.routing.RoutingEngine;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OriginatorRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Routing decisions per second with the in-memory stores, against the floor every router pays: a bare
 * {@link ConcurrentHashMap} lookup of an originator record plus its TTL check. Both read the same {@code customers}
 * records in the same random order (so both pay the same cache misses).
 *
 * <p>{@link #engine} routes a reply ("On my way") from a customer an agent texted: the full decision (keyword check,
 * mapping lookup, open-conversation lookup, originator lookup with TTL, opening or joining the conversation, touching
 * it, appending the transcript line, the log call). The conversation store is emptied each iteration, so an iteration
 * mixes first replies (step 4: open the conversation) and follow-ups (step 3: join it). Numbers arrive in E.164, so no
 * libphonenumber call is made.
 *
 * <p>Run through {@link RoutingBenchmarkMain}, which interleaves the two and prints the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingDecisionBenchmark {

  /** How many customers have a live originator record. */
  @Param("200000")
  public int customers;

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private RoutingConfiguration configuration;
  private InMemoryOriginatorStore originators;
  private InMemoryOptOutStore optOuts;
  private RoutingEngine engine;
  private InboundSms[] replies;
  private ConcurrentHashMap<String, OriginatorRecord> map;
  private String[] keys;
  private int[] order;
  private int cursor;

  @Setup(Level.Trial)
  public void records() {
    configuration = RoutingConfiguration.builder()
        .addMapping(Mapping.builder("bench").provider("smpp").defaultCountry("US").delivery(Delivery.QUEUE)
            .originatorTtl(Duration.ofHours(24))
            .addNumber(n -> n.number(BUSINESS.address()).displayName("Bench").queue("sales")))
        .build();
    originators = new InMemoryOriginatorStore(clock);
    optOuts = new InMemoryOptOutStore();
    map = new ConcurrentHashMap<>(customers * 2);
    replies = new InboundSms[customers];
    keys = new String[customers];
    Instant sent = NOW.minus(Duration.ofMinutes(5));
    for (int i = 0; i < customers; i++) {
      PhoneNumber customer = PhoneNumber.of("+1415" + (2_000_000 + i));
      OriginatorRecord r = OriginatorRecord.of(customer, BUSINESS, "agent-" + (i % 50), "Your table is ready",
          "msg-" + i, sent, Duration.ofHours(24));
      originators.put(r);
      keys[i] = customer.e164() + "|" + BUSINESS.key();
      map.put(keys[i], r);
      replies[i] = InboundSms.builder().provider("smpp").providerMessageId("mo-" + i).from(customer).to(BUSINESS)
          .body("On my way").receivedAt(NOW).build();
    }
    order = new int[1 << 20];
    Random random = new Random(7);
    for (int i = 0; i < order.length; i++) {
      order[i] = random.nextInt(customers);
    }
  }

  @Setup(Level.Iteration)
  public void freshConversations() {
    engine = RoutingEngine.builder().configuration(configuration).originatorStore(originators).optOutStore(optOuts)
        .conversationStore(new InMemoryConversationStore()).clock(clock).build();
  }

  private int next() {
    return order[cursor++ & (order.length - 1)];
  }

  /** One full routing decision. */
  @Benchmark
  public RouteDecision engine() {
    return engine.route(replies[next()]);
  }

  /** The floor: a map lookup by customer and business number, and the TTL check. */
  @Benchmark
  public boolean baseline() {
    OriginatorRecord r = map.get(keys[next()]);
    return r != null && r.isLiveAt(clock.instant());
  }
}
