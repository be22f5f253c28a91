package dev.smsgateway.micrometer;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundSms;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds an {@link dev.smsgateway.SmsGateway}'s events to Micrometer meters. Register it as a gateway listener:
 *
 * <pre>{@code
 * SmsGatewayMetrics metrics = SmsGatewayMetrics.builder(registry).build();
 * SmsGateway gateway = SmsGateway.builder().provider(smpp).listener(metrics).build();
 * }</pre>
 *
 * <p>Meters (all names start with {@code sms.}):
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>sms.messages.accepted</td><td>counter</td><td>-</td></tr>
 *   <tr><td>sms.messages.sent</td><td>counter</td><td>provider, business</td></tr>
 *   <tr><td>sms.parts.sent</td><td>counter</td><td>provider, business</td></tr>
 *   <tr><td>sms.send.latency</td><td>timer (accepted to provider receipt)</td><td>provider</td></tr>
 *   <tr><td>sms.send.failures</td><td>counter</td><td>provider, category, code</td></tr>
 *   <tr><td>sms.delivery.reports</td><td>counter</td><td>provider, status</td></tr>
 *   <tr><td>sms.delivery.latency</td><td>timer (receipt to final report)</td><td>provider, status</td></tr>
 *   <tr><td>sms.throttle.wait</td><td>timer</td><td>provider</td></tr>
 *   <tr><td>sms.inbound</td><td>counter</td><td>provider, business</td></tr>
 *   <tr><td>sms.provider.connected</td><td>gauge (1 connected, 0 not)</td><td>provider</td></tr>
 *   <tr><td>sms.provider.reconnects</td><td>counter</td><td>provider</td></tr>
 * </table>
 *
 * <p>The {@code business} tag is our own business number (a bounded set from configuration), never a customer's
 * number. Latencies use the registry's monotonic clock. At most {@code maxTracked} messages are tracked between
 * accept and receipt and between receipt and final report; beyond that, latencies are not recorded (counted in
 * {@code sms.metrics.untracked}) rather than letting memory grow.
 *
 * <p>Thread-safe.
 */
public final class SmsGatewayMetrics implements GatewayListener {

  private static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final Tags commonTags;
  private final int maxTracked;
  private final Map<String, Pending> accepted = new ConcurrentHashMap<>();
  private final Map<String, Pending> sent = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> connected = new ConcurrentHashMap<>();
  private final Map<String, ProviderState> lastState = new ConcurrentHashMap<>();
  private final Counter acceptedCounter;
  private final Counter untracked;

  private record Pending(long startNanos, String business) {}

  private SmsGatewayMetrics(Builder b) {
    this.registry = b.registry;
    this.commonTags = b.commonTags;
    this.maxTracked = b.maxTracked;
    this.acceptedCounter = Counter.builder("sms.messages.accepted").tags(commonTags)
        .description("messages the gateway accepted for sending").register(registry);
    this.untracked = Counter.builder("sms.metrics.untracked").tags(commonTags)
        .description("messages whose latency was not tracked because maxTracked was reached").register(registry);
  }

  /** A builder for metrics on {@code registry}. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  @Override
  public void onAccepted(String messageId, OutboundSms sms) {
    acceptedCounter.increment();
    track(accepted, messageId, new Pending(now(), sms.from().orElse("default")));
  }

  @Override
  public void onSent(SendReceipt receipt) {
    Pending pending = accepted.remove(receipt.messageId());
    String business = pending == null ? UNKNOWN : pending.business();
    Tags tags = commonTags.and("provider", receipt.provider(), "business", business);
    registry.counter("sms.messages.sent", tags).increment();
    registry.counter("sms.parts.sent", tags).increment(receipt.parts());
    if (pending != null) {
      Timer.builder("sms.send.latency").tags(commonTags).tag("provider", receipt.provider())
          .description("from acceptance by the gateway to the provider's receipt").register(registry)
          .record(now() - pending.startNanos(), TimeUnit.NANOSECONDS);
    }
    track(sent, receipt.messageId(), new Pending(now(), business));
  }

  @Override
  public void onFailed(String messageId, SmsException error) {
    accepted.remove(messageId);
    registry.counter("sms.send.failures", commonTags.and(
        Tag.of("provider", error.provider().orElse(UNKNOWN)),
        Tag.of("category", category(error)),
        Tag.of("code", error.providerCode().orElse("none")))).increment();
  }

  @Override
  public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
    registry.counter("sms.delivery.reports", commonTags.and("provider", report.provider(), "status",
        report.status().name())).increment();
    if (merged.isFinal()) {
      Pending pending = report.messageId().map(sent::remove).orElse(null);
      if (pending != null) {
        Timer.builder("sms.delivery.latency").tags(commonTags).tag("provider", report.provider())
            .tag("status", merged.name()).description("from the provider's receipt to the final delivery report")
            .register(registry).record(now() - pending.startNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  @Override
  public void onThrottled(String provider, Duration wait) {
    Timer.builder("sms.throttle.wait").tags(commonTags).tag("provider", provider)
        .description("time sends waited for the provider's parts-per-second throttle").register(registry)
        .record(wait);
  }

  @Override
  public void onInbound(InboundSms sms) {
    registry.counter("sms.inbound", commonTags.and("provider", sms.provider(), "business", sms.to().key()))
        .increment();
  }

  @Override
  public void onProviderState(String provider, ProviderState state, String detail) {
    AtomicInteger gauge = connected.computeIfAbsent(provider, p -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("sms.provider.connected", value, AtomicInteger::get).tags(commonTags).tag("provider", p)
          .description("1 while the provider is connected (bound), else 0").register(registry);
      return value;
    });
    gauge.set(state == ProviderState.CONNECTED ? 1 : 0);
    ProviderState previous = lastState.put(provider, state);
    if (state == ProviderState.CONNECTED && previous == ProviderState.DISCONNECTED) {
      registry.counter("sms.provider.reconnects", commonTags.and("provider", provider)).increment();
    }
  }

  private void track(Map<String, Pending> map, String messageId, Pending pending) {
    if (map.size() >= maxTracked) {
      untracked.increment();
      return;
    }
    map.put(messageId, pending);
  }

  private long now() {
    return registry.config().clock().monotonicTime();
  }

  static String category(SmsException e) {
    // The sealed tree's leaf names, without the common prefix and suffix: Validation, Throttled, Transport...
    String name = e.getClass().getSimpleName();
    return name.substring(3, name.length() - "Exception".length()).toLowerCase(java.util.Locale.ROOT)
        + (e.possiblyDelivered() ? "-unknown-outcome" : "");
  }

  /** Builds {@link SmsGatewayMetrics}. Not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Tags commonTags = Tags.empty();
    private int maxTracked = 100_000;

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    /** Tags added to every meter, for example the application instance. */
    public Builder commonTags(Iterable<Tag> tags) {
      this.commonTags = Tags.of(Objects.requireNonNull(tags, "tags == null"));
      return this;
    }

    /** The most messages tracked at once for latency timers. Default 100,000. */
    public Builder maxTracked(int maxTracked) {
      if (maxTracked < 0) {
        throw new IllegalArgumentException("maxTracked < 0: " + maxTracked);
      }
      this.maxTracked = maxTracked;
      return this;
    }

    /** Builds the listener and registers its fixed meters. */
    public SmsGatewayMetrics build() {
      return new SmsGatewayMetrics(this);
    }
  }
}
