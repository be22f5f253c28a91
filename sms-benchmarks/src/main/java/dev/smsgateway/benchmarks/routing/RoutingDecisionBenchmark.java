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
 * {@link ConcurrentHashMap} lookup of an originator record plus its TTL check. Both draw the same customers from
 * {@code customers} live records in the same random order (so both pay cache misses on the stores).
 *
 * <p>{@link #engine} routes a reply ("On my way") from a customer an agent texted: the full decision (keyword check,
 * mapping lookup, open-conversation lookup, originator lookup with TTL, opening or joining the conversation, touching
 * it, appending the transcript line, the INFO log call). Customers come from a fixed random sequence of 2^20 draws in
 * four passes of 2^18; each pass draws from its own random quarter of the customers and starts with an empty
 * conversation store (made inside the measured operation, charged to the engine). So every pass makes the same mix:
 * with the default 200,000 customers, about 49,700 first replies (step 4: originator lookup, open the conversation)
 * and 212,400 follow-ups (step 3: join it), about five replies per conversation; the setup prints the exact counts.
 * (Earlier versions emptied the store every iteration, which made the mix depend on the throughput: a slow run was
 * almost all openings. One pass over all 200,000 customers keeps about 190 MB of conversations and lines alive, and
 * then young collections copying them dominate the figure.) Numbers arrive in E.164, so no libphonenumber call is
 * made.
 *
 * <p>Input, the same for both sides: each operation starts from the customer's number as a freshly built E.164
 * string, as a provider hands it over after parsing a request. The engine side also builds the {@link InboundSms}
 * around it (E.164 syntax check, builder; charged to the engine, although a provider does it). Earlier versions read
 * 200,000 pre-built messages at random instead, so the engine paid up to four cache misses (message, number, string,
 * digits) before routing started, a cost no router pays on a message it has just parsed; and the baseline looked its
 * key up with the very key object stored in the map (an identity hit no real lookup gets). {@link
 * #baselineStoredKey} keeps that old baseline for comparison; it is not part of the ratio, nor is {@link
 * #baselineWrites}, the lookup plus the least a decision must write, done the plain way.
 *
 * <p>Both sides read the same fixed clock (with a real clock each decision would also build one {@link Instant}). Run
 * through {@link RoutingBenchmarkMain}, which interleaves the two and prints the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingDecisionBenchmark {

  /** How many customers have a live originator record. */
  @Param(CUSTOMERS)
  public int customers;

  /** The default number of customers, of this benchmark and {@link RoutingComponentsBenchmark}. */
  static final String CUSTOMERS = "200000";

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private RoutingConfiguration configuration;
  private InMemoryOriginatorStore originators;
  private InMemoryOptOutStore optOuts;
  private RoutingEngine engine;
  private ConcurrentHashMap<String, OriginatorRecord> map;
  private String[] storedKeys;
  private long messages;
  private static final int PASSES = 4;
  private static final int PASS = (1 << 20) / PASSES;
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
    storedKeys = new String[customers];
    Instant sent = NOW.minus(Duration.ofMinutes(5));
    for (int i = 0; i < customers; i++) {
      PhoneNumber customer = PhoneNumber.of(number(i));
      OriginatorRecord r = OriginatorRecord.of(customer, BUSINESS, "agent-" + (i % 50), "Your table is ready",
          "msg-" + i, sent, Duration.ofHours(24));
      originators.put(r);
      storedKeys[i] = customer.e164();
      map.put(storedKeys[i], r);
    }
    long[] opened = new long[1];
    order = drawOrder(customers, opened);
    System.out.printf("%d passes of %,d decisions over %,d customers each: %,d open a conversation (step 4), %,d join"
        + " one (step 3)%n", PASSES, PASS, customers / PASSES, opened[0], order.length - opened[0]);
    freshConversations();
  }

  /**
   * The customers of the 2^20 decisions: four passes of 2^18; each pass draws 2^18 times from its own quarter of the
   * customers (a random quarter: a permutation of all of them), so every pass opens about a quarter of them and joins
   * the rest. {@code opened[0]} receives the number of openings.
   */
  static int[] drawOrder(int customers, long[] opened) {
    int[] order = new int[1 << 20];
    int[] shuffled = new int[customers];
    Random random = new Random(7);
    for (int i = 0; i < customers; i++) {
      int j = random.nextInt(i + 1);
      shuffled[i] = shuffled[j];
      shuffled[j] = i;
    }
    int perPass = customers / PASSES;
    opened[0] = 0;
    for (int pass = 0; pass < PASSES; pass++) {
      java.util.BitSet seen = new java.util.BitSet(customers);
      for (int i = pass * PASS; i < (pass + 1) * PASS; i++) {
        order[i] = shuffled[pass * perPass + random.nextInt(perPass)];
        seen.set(order[i]);
      }
      opened[0] += seen.cardinality();
    }
    return order;
  }

  /** The share of {@link #engine}'s decisions that open a conversation, for {@code customers}. */
  static double openingShare(int customers) {
    long[] opened = new long[1];
    drawOrder(customers, opened);
    return opened[0] / (double) (1 << 20);
  }

  private void freshConversations() {
    engine = engineWith(new InMemoryConversationStore());
  }

  /**
   * Lets go of what the last pass of {@link #engine} and of {@link #baselineWrites} keeps (their conversations), for
   * {@link RoutingCpuRounds}, which runs the sides one after the other in one JVM and collects in between.
   */
  void dropConversations() {
    freshConversations();
    bareConversations = new ConcurrentHashMap<>();
  }

  /** An engine on this benchmark's configuration, originator records and clock, with {@code conversations}. */
  RoutingEngine engineWith(InMemoryConversationStore conversations) {
    return RoutingEngine.builder().configuration(configuration).originatorStore(originators).optOutStore(optOuts)
        .conversationStore(conversations).clock(clock).build();
  }

  private int next() {
    return order[cursor++ & (order.length - 1)];
  }

  /** Customer {@code i}'s number, as a new string (as parsed from a provider's request). */
  static String number(int i) {
    return "+1415" + (2_000_000 + i);
  }

  /** Customer {@code i}'s reply "On my way", as a provider hands it over, with message id {@code mo-<number>}. */
  static InboundSms reply(int customer, long number) {
    return InboundSms.builder().provider("smpp").providerMessageId("mo-" + number)
        .from(PhoneNumber.of(number(customer))).to(BUSINESS).body("On my way").receivedAt(NOW).build();
  }

  /** One full routing decision for a reply from the next customer, starting from the number as it arrives. */
  @Benchmark
  public RouteDecision engine() {
    if ((cursor & (PASS - 1)) == 0 && cursor != 0) {
      freshConversations();
    }
    return engine.route(reply(next(), messages++));
  }

  /** The floor: a map lookup by the next customer's number, as it arrives, and the TTL check. */
  @Benchmark
  public boolean baseline() {
    OriginatorRecord r = map.get(number(next()));
    return r != null && r.isLiveAt(clock.instant());
  }

  /** The baseline of earlier versions, for comparison only: the lookup uses the map's own key object. */
  @Benchmark
  public boolean baselineStoredKey() {
    OriginatorRecord r = map.get(storedKeys[next()]);
    return r != null && r.isLiveAt(clock.instant());
  }

  /** A conversation as a bare implementation would keep it: immutable, a new version per touch. */
  private record BareConversation(String customer, Instant lastActivity, long version,
      java.util.List<BareLine> lines) {}

  /** A transcript line as a bare implementation would keep it. */
  private record BareLine(Instant at, String text, String messageId) {}

  private ConcurrentHashMap<String, BareConversation> bareConversations = new ConcurrentHashMap<>();

  /**
   * For comparison, outside the ratio: the baseline plus the least a decision must write, done the plain way. The
   * lookup and TTL check of {@link #baseline}, then a {@link ConcurrentHashMap#compute} that opens the customer's
   * conversation or replaces it with a touched version, and a transcript line appended to its list; same customers,
   * same order and the same passes (an empty map at each pass) as {@link #engine}. No keywords, no mapping, no lock,
   * no decision object, no log line, no originator record kept in the conversation.
   */
  @Benchmark
  public BareConversation baselineWrites() {
    return writeBare(number(next()), "On my way", "mo-" + messages++);
  }

  /** {@link #baselineWrites}' work for a reply from {@code customer}: the lookup, the conversation, the line. */
  private BareConversation writeBare(String customer, String text, String messageId) {
    // the first call of a pass (next() has moved the cursor past this call's customer already)
    if ((cursor & (PASS - 1)) == 1 && cursor != 1) {
      bareConversations = new ConcurrentHashMap<>();
    }
    OriginatorRecord r = map.get(customer);
    Instant now = clock.instant();
    if (r == null || !r.isLiveAt(now)) {
      return null;
    }
    BareConversation c = bareConversations.compute(customer, (k, v) -> v == null
        ? new BareConversation(k, now, 1, new java.util.ArrayList<>())
        : new BareConversation(k, now, v.version() + 1, v.lines()));
    synchronized (c.lines()) {
      c.lines().add(new BareLine(now, text, messageId));
    }
    return c;
  }

  /**
   * {@link #baseline} given the engine's input: the same {@link InboundSms}, built the same way, looked up by its
   * sender's number. With {@link #engine} it compares the decision alone, as the allocation figure does (which takes
   * the message's bytes off the engine's); not part of {@link RoutingBenchmarkMain}'s ratios.
   */
  public boolean baselineOnMessage() {
    InboundSms sms = reply(next(), messages++);
    OriginatorRecord r = map.get(sms.from().e164());
    return r != null && r.isLiveAt(clock.instant());
  }

  /**
   * {@link #baselineWrites} given the engine's input: the same {@link InboundSms}, built the same way; the line takes
   * the message's text and id. See {@link #baselineOnMessage}.
   */
  public BareConversation baselineWritesOnMessage() {
    InboundSms sms = reply(next(), messages++);
    return writeBare(sms.from().e164(), sms.body(), sms.providerMessageId());
  }
}
