package dev.smsgateway.benchmarks.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.routing.RoutingEngine;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Instant;
import java.util.Random;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pieces of a routing decision, each measured alone, to show where {@link RoutingDecisionBenchmark#engine}'s time
 * goes relative to its baseline. Not part of the ratio; {@link RoutingBenchmarkMain} runs them with
 * {@code --components} and prints each one's cost as a multiple of the baseline lookup's in the same round.
 *
 * <ul>
 *   <li>{@link #message}: building the {@link InboundSms} from the arriving number (E.164 check, builder), which the
 *       engine side of the ratio pays and the baseline does not.
 *   <li>{@link #logLine}: the decision's INFO log call alone: the engine's logger and call shape, into the same
 *       no-op appender.
 *   <li>{@link #storeJoin}: the store work of a reply that joins an open conversation (find it, touch it, append the
 *       line) with no engine around it, on an in-memory store where each of the {@code customers} has one open
 *       conversation (a fresh store each iteration), customers drawn in random order. It starts, like the baseline,
 *       from the arriving number.
 *   <li>{@link #engineJoin}: a whole decision for a reply that joins an open conversation (step 3), the same
 *       engine, configuration and message as {@link RoutingDecisionBenchmark#engine}, on a store where each of the
 *       {@code customers} has one open (opened through the engine, a fresh store each iteration). With the mix of
 *       {@link RoutingDecisionBenchmark} (81% joins, 19% openings) it gives what an opening costs.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingComponentsBenchmark {

  /** How many customers have an open conversation. */
  @Param(RoutingDecisionBenchmark.CUSTOMERS)
  public int customers;

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));
  private static final Logger DECISIONS = LoggerFactory.getLogger(RoutingEngine.class);

  private int[] order;
  private int cursor;
  private long messages;
  private InboundSms sample;
  private RouteDecision sampleDecision;

  @Setup(Level.Trial)
  public void customers() {
    order = new int[1 << 20];
    Random random = new Random(7);
    for (int i = 0; i < order.length; i++) {
      order[i] = random.nextInt(customers);
    }
    sample = reply(0);
    sampleDecision = new RouteDecision.ToQueue("sales", "c-1", "open conversation");
  }

  /**
   * The store of {@link #storeJoin}: each customer has one open conversation. Its own state, so that only that
   * benchmark builds it; fresh for every iteration, so that the transcript lines it appends (about 50 bytes each,
   * millions per iteration) do not pile up across the run.
   */
  @State(Scope.Benchmark)
  public static class OpenConversations {
    InMemoryConversationStore store;

    @Setup(Level.Iteration)
    public void open(RoutingComponentsBenchmark pieces) {
      store = new InMemoryConversationStore();
      for (int i = 0; i < pieces.customers; i++) {
        store.openIfAbsent(Conversation.open("c-" + i, PhoneNumber.of(RoutingDecisionBenchmark.number(i)), BUSINESS,
            "bench", new RouteTarget.Queue("sales"), NOW));
      }
    }
  }

  /**
   * The engine of {@link #engineJoin}, on {@link RoutingDecisionBenchmark}'s configuration and originator records,
   * each customer's conversation opened through it; the conversation store is fresh for every iteration, as above.
   */
  @State(Scope.Benchmark)
  public static class OpenedThroughTheEngine {
    private final RoutingDecisionBenchmark decisions = new RoutingDecisionBenchmark();
    RoutingEngine engine;

    @Setup(Level.Trial)
    public void records(RoutingComponentsBenchmark pieces) {
      decisions.customers = pieces.customers;
      decisions.records();
    }

    @Setup(Level.Iteration)
    public void open(RoutingComponentsBenchmark pieces) {
      engine = decisions.engineWith(new InMemoryConversationStore());
      for (int i = 0; i < pieces.customers; i++) {
        engine.route(pieces.reply(i));
      }
    }
  }

  private InboundSms reply(int customer) {
    return RoutingDecisionBenchmark.reply(customer, messages++);
  }

  private int next() {
    return order[cursor++ & (order.length - 1)];
  }

  /** Building the message the engine routes, from the arriving number. */
  @Benchmark
  public InboundSms message() {
    return reply(next());
  }

  /** A whole decision for a reply that joins an open conversation. */
  @Benchmark
  public RouteDecision engineJoin(OpenedThroughTheEngine opened) {
    return opened.engine.route(reply(next()));
  }

  /** The decision's INFO log call alone. */
  @Benchmark
  public void logLine() {
    DECISIONS.info("routed {} from {} to {} via {}: {} ({})", sample.providerMessageId(), sample.from(), sample.to(),
        sample.provider(), sampleDecision, sampleDecision.reason());
  }

  /** A join's store work: find the open conversation, touch it, append the line. */
  @Benchmark
  public Conversation storeJoin(OpenConversations open) {
    InMemoryConversationStore store = open.store;
    PhoneNumber customer = PhoneNumber.of(RoutingDecisionBenchmark.number(next()));
    Conversation c = store.findOpen(customer, BUSINESS).orElseThrow();
    Conversation touched = c.touched(NOW);
    store.update(touched);
    store.append(new TranscriptEntry(c.id(), NOW, TranscriptEntry.Direction.INBOUND, "customer", "On my way",
        "mo-" + messages++));
    return touched;
  }
}
