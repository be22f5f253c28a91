package dev.smsgateway.test;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderCapabilities;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SubmitRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A scriptable in-memory {@link SmsProvider} for unit tests: it records every {@link SubmitRequest}, answers each
 * with a scripted {@link Outcome} (accept, throttle, reject, any {@link SmsException}, a possibly-delivered timeout,
 * or no answer until {@link #close()}), optionally after a latency on a scheduler you control, and lets the test
 * play the peer by injecting inbound messages and delivery reports.
 *
 * <pre>{@code
 * RecordingSmsProvider provider = RecordingSmsProvider.builder().name("primary").build();
 * provider.enqueue(Outcome.throttle(), Outcome.accept());   // first send throttled, second accepted
 * SmsGateway gateway = SmsGateway.builder().provider(provider).build();
 * ...
 * assertThat(provider.submitted()).hasSize(2);
 * provider.deliverReport(receipt, DeliveryStatus.DELIVERED);
 * }</pre>
 *
 * <p>Scripted outcomes are used in order; when none is left, the {@linkplain Builder#defaultOutcome default} applies
 * (accept, unless set). Provider message ids are decimal numbers, one per part, counting up from 1001 within the
 * instance (so a test can send a report for an id before the send is answered).
 *
 * <p>Thread-safe.
 */
public final class RecordingSmsProvider implements SmsProvider {

  private final String name;
  private final ProviderCapabilities capabilities;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration latency;
  private final Outcome defaultOutcome;
  private final Function<SubmitRequest, Outcome> responder;

  private final Deque<Outcome> script = new ArrayDeque<>();
  private final List<SubmitRequest> submitted = new CopyOnWriteArrayList<>();
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicLong ids = new AtomicLong(1000);
  private final AtomicLong inboundIds = new AtomicLong();
  private volatile ProviderListener listener;
  private volatile boolean closed;

  private RecordingSmsProvider(Builder b) {
    this.name = b.name;
    this.capabilities = b.capabilities;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.latency = b.latency;
    this.defaultOutcome = b.defaultOutcome;
    this.responder = b.responder;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A provider named {@code name} that accepts everything at once. */
  public static RecordingSmsProvider named(String name) {
    return builder().name(name).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public void start(ProviderListener listener) {
    Objects.requireNonNull(listener, "listener == null");
    synchronized (this) {
      if (this.listener != null) {
        throw new IllegalStateException("provider " + name + " already started");
      }
      this.listener = listener;
    }
    listener.onStateChange(name, ProviderState.CONNECTED, "recording provider started");
  }

  /** Scripts the outcomes of the next sends, in order. */
  public RecordingSmsProvider enqueue(Outcome... outcomes) {
    synchronized (script) {
      for (Outcome o : outcomes) {
        script.addLast(Objects.requireNonNull(o, "outcome == null"));
      }
    }
    return this;
  }

  @Override
  public CompletableFuture<SendReceipt> send(SubmitRequest request) {
    Objects.requireNonNull(request, "request == null");
    if (closed) {
      return CompletableFuture.failedFuture(
          new SmsTransportException("provider " + name + " is closed", name, null, false, null));
    }
    submitted.add(request);
    Outcome outcome;
    synchronized (script) {
      outcome = script.pollFirst();
    }
    if (outcome == null) {
      outcome = responder != null ? responder.apply(request) : defaultOutcome;
    }
    CompletableFuture<SendReceipt> future = new CompletableFuture<>();
    if (outcome.kind == Outcome.Kind.PENDING) {
      Pending p = new Pending(request, future);
      pending.add(p);
      future.whenComplete((r, e) -> pending.remove(p));
      if (closed) {
        failPending();
      }
      return future;
    }
    Outcome chosen = outcome;
    if (scheduler != null && !latency.isZero()) {
      Pending p = new Pending(request, future);
      pending.add(p);
      future.whenComplete((r, e) -> pending.remove(p));
      scheduler.schedule(() -> answer(chosen, request, future), latency.toNanos(), TimeUnit.NANOSECONDS);
    } else {
      answer(chosen, request, future);
    }
    return future;
  }

  private void answer(Outcome outcome, SubmitRequest request, CompletableFuture<SendReceipt> future) {
    switch (outcome.kind) {
      case ACCEPT -> {
        int parts = request.plan().partCount();
        List<String> providerIds = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
          providerIds.add(Long.toString(ids.incrementAndGet()));
        }
        future.complete(new SendReceipt(request.messageId(), name, providerIds, parts, clock.instant(), Map.of()));
      }
      case FAIL -> future.completeExceptionally(outcome.error.apply(this));
      default -> throw new AssertionError(outcome.kind);
    }
  }

  /** Every request this provider was given, in order (including ones that were then failed). */
  public List<SubmitRequest> submitted() {
    return List.copyOf(submitted);
  }

  /** The last request given, or throws if none was. */
  public SubmitRequest lastSubmitted() {
    if (submitted.isEmpty()) {
      throw new AssertionError("provider " + name + " was given no request");
    }
    return submitted.get(submitted.size() - 1);
  }

  /** How many sends are waiting for an answer (scripted {@link Outcome#pending()} or latency). */
  public int pendingCount() {
    return pending.size();
  }

  /** Answers the oldest unanswered {@link Outcome#pending()} send as accepted; returns false if none is waiting. */
  public boolean releasePending() {
    Pending p;
    while ((p = pending.poll()) != null) {
      if (!p.future().isDone()) {
        answer(Outcome.accept(), p.request(), p.future());
        return true;
      }
    }
    return false;
  }

  /**
   * Plays the peer sending an inbound message; the listener's exception (a nack) is rethrown to the caller.
   *
   * @throws IllegalStateException if the provider was not started
   */
  public void deliverInbound(InboundSms sms) {
    Objects.requireNonNull(sms, "sms == null");
    requireListener().onInbound(sms);
  }

  /** Plays the peer sending an inbound message with the given fields; returns it. */
  public InboundSms deliverInbound(PhoneNumber from, Originator to, String body) {
    InboundSms sms = InboundSms.builder().provider(name).providerMessageId("mo-" + inboundIds.incrementAndGet())
        .from(from).to(to).body(body).receivedAt(clock.instant()).build();
    deliverInbound(sms);
    return sms;
  }

  /** Plays the peer sending a delivery report; the listener's exception is rethrown to the caller. */
  public void deliverReport(DeliveryReport report) {
    Objects.requireNonNull(report, "report == null");
    requireListener().onDeliveryReport(report);
  }

  /** Plays the peer reporting {@code status} for every part of {@code receipt}, one report per provider id. */
  public List<DeliveryReport> deliverReport(SendReceipt receipt, DeliveryStatus status) {
    Objects.requireNonNull(receipt, "receipt == null");
    Objects.requireNonNull(status, "status == null");
    List<DeliveryReport> reports = new ArrayList<>();
    for (String id : receipt.providerMessageIds()) {
      DeliveryReport r = DeliveryReport.builder().provider(name).providerMessageId(id).status(status)
          .rawStatus(status.name()).occurredAt(clock.instant()).build();
      deliverReport(r);
      reports.add(r);
    }
    return reports;
  }

  private ProviderListener requireListener() {
    ProviderListener l = listener;
    if (l == null) {
      throw new IllegalStateException("provider " + name + " was not started");
    }
    return l;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    failPending();
    ProviderListener l = listener;
    if (l != null) {
      l.onStateChange(name, ProviderState.CLOSED, "closed");
    }
  }

  private void failPending() {
    Pending p;
    while ((p = pending.poll()) != null) {
      p.future().completeExceptionally(new SmsTransportException("provider " + name + " closed before it answered", name,
          null, true, null));
    }
  }

  @Override
  public String toString() {
    return "RecordingSmsProvider{name=" + name + ", submitted=" + submitted.size() + ", closed=" + closed + "}";
  }

  /**
   * How the provider answers one send.
   *
   * <p>Immutable and thread-safe.
   */
  public static final class Outcome {
    enum Kind { ACCEPT, FAIL, PENDING }

    private final Kind kind;
    private final Function<RecordingSmsProvider, SmsException> error;

    private Outcome(Kind kind, Function<RecordingSmsProvider, SmsException> error) {
      this.kind = kind;
      this.error = error;
    }

    /** Accepted: a receipt with one provider id per part. */
    public static Outcome accept() {
      return new Outcome(Kind.ACCEPT, null);
    }

    /** Throttled ({@link SmsThrottledException}, code {@code THROTTLED}), without a retry-after. */
    public static Outcome throttle() {
      return throttle(null);
    }

    /** Throttled, asking to wait {@code retryAfter} (may be null). */
    public static Outcome throttle(Duration retryAfter) {
      return new Outcome(Kind.FAIL,
          p -> new SmsThrottledException("throttled by " + p.name, p.name, "THROTTLED", retryAfter));
    }

    /** Rejected for good ({@link SmsRejectedException}) with the provider code {@code code}. */
    public static Outcome reject(String code) {
      return new Outcome(Kind.FAIL, p -> new SmsRejectedException("rejected by " + p.name, p.name, code));
    }

    /** A transport failure before the request left: retryable, not possibly delivered. */
    public static Outcome transportError() {
      return new Outcome(Kind.FAIL,
          p -> new SmsTransportException("connection refused by " + p.name, p.name, null, false, null));
    }

    /** A response timeout after the request left: retryable, but possibly delivered. */
    public static Outcome timeout() {
      return new Outcome(Kind.FAIL,
          p -> new SmsTransportException("no response from " + p.name, p.name, "TIMEOUT", true, null));
    }

    /** Fails with exactly {@code error}. */
    public static Outcome fail(SmsException error) {
      Objects.requireNonNull(error, "error == null");
      return new Outcome(Kind.FAIL, p -> error);
    }

    /** No answer until {@link RecordingSmsProvider#releasePending()} or {@link RecordingSmsProvider#close()}. */
    public static Outcome pending() {
      return new Outcome(Kind.PENDING, null);
    }

    @Override
    public String toString() {
      return "Outcome{" + kind + "}";
    }
  }

  /** Builds {@link RecordingSmsProvider}. Not thread-safe. */
  public static final class Builder {
    private String name = "recording";
    private ProviderCapabilities capabilities = new ProviderCapabilities(true, false, false, 255,
        EnumSet.allOf(Originator.Kind.class));
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private Duration latency = Duration.ZERO;
    private Outcome defaultOutcome = Outcome.accept();
    private Function<SubmitRequest, Outcome> responder;

    private Builder() {}

    /** The provider name. Default {@code recording}. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name == null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name is blank");
      }
      this.name = name;
      return this;
    }

    /** What the provider claims it can do. Default: reports, all originator kinds, 255 parts. */
    public Builder capabilities(ProviderCapabilities capabilities) {
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities == null");
      return this;
    }

    /** The clock for receipt and report times. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Answers every send {@code latency} later on {@code scheduler} (a test scheduler makes this deterministic). */
    public Builder latency(Duration latency, ScheduledExecutorService scheduler) {
      Objects.requireNonNull(latency, "latency == null");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency < 0");
      }
      this.latency = latency;
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
      return this;
    }

    /** The outcome once the script is used up. Default {@link Outcome#accept()}. */
    public Builder defaultOutcome(Outcome outcome) {
      this.defaultOutcome = Objects.requireNonNull(outcome, "outcome == null");
      return this;
    }

    /** Chooses the outcome from the request once the script is used up (overrides the default outcome). */
    public Builder responder(Function<SubmitRequest, Outcome> responder) {
      this.responder = Objects.requireNonNull(responder, "responder == null");
      return this;
    }

    /** Builds the provider. */
    public RecordingSmsProvider build() {
      return new RecordingSmsProvider(this);
    }
  }

  private record Pending(SubmitRequest request, CompletableFuture<SendReceipt> future) {}
}
