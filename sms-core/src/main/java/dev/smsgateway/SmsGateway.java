package dev.smsgateway;

import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The facade an application holds: it normalizes numbers, checks opt-outs (when a send is accepted and again right
 * before it goes to the provider), plans parts, throttles each provider in parts per second, retries what is
 * retryable, de-duplicates by idempotency key, fails over to a secondary provider, correlates delivery reports and
 * fans events out to {@link GatewayListener}s.
 *
 * <pre>{@code
 * SmsGateway gateway = SmsGateway.builder()
 *     .provider(smpp)
 *     .defaultRegion("US")
 *     .build();
 * gateway.start();
 * gateway.send(OutboundSms.builder().to("(415) 555-0100").body("Hello").build())
 *     .thenAccept(receipt -> log.info("sent as {}", receipt.messageId()));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SmsGateway implements AutoCloseable {

  private final Builder config;

  private SmsGateway(Builder config) {
    this.config = config;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Accepts a message for sending. Never throws: bad input, an opted-out recipient and every provider failure
   * complete the future exceptionally with an {@link SmsException}.
   */
  public CompletableFuture<SendReceipt> send(OutboundSms sms) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** What the gateway knows of a message it accepted. */
  public Optional<MessageRecord> status(String messageId) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Normalizes a number with the gateway's default region. */
  public PhoneNumber normalize(String raw) {
    return PhoneNumbers.normalize(raw, config.defaultRegion);
  }

  /** Starts every provider, with the gateway as their listener. */
  public void start() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Closes every provider and the gateway's own scheduler (not one the application supplied). Idempotent. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Builds {@link SmsGateway}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, SmsProvider> providers = new LinkedHashMap<>();
    private final Map<String, String> failover = new LinkedHashMap<>();
    private final Map<String, Double> partsPerSecond = new LinkedHashMap<>();
    private final List<GatewayListener> listeners = new ArrayList<>();
    private String defaultRegion;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private OptOutStore optOutStore;
    private MessageStore messageStore;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration idempotencyTtl = Duration.ofHours(24);
    private InboundHandler inboundHandler;
    private int maxParts = 10;

    private Builder() {}

    /** Adds a provider; the first one added is the primary. Names must be unique. */
    public Builder provider(SmsProvider provider) {
      Objects.requireNonNull(provider, "provider == null");
      if (providers.putIfAbsent(provider.name(), provider) != null) {
        throw new SmsConfigurationException("two providers are named '" + provider.name() + "'");
      }
      return this;
    }

    /** When {@code primary} fails with a retryable, not possibly-delivered error, try {@code secondary}. */
    public Builder failover(String primary, String secondary) {
      failover.put(Objects.requireNonNull(primary, "primary == null"), Objects.requireNonNull(secondary, "secondary == null"));
      return this;
    }

    /** Throttles {@code provider} to {@code partsPerSecond} SMS parts a second (a token bucket). */
    public Builder throttle(String provider, double partsPerSecond) {
      if (!(partsPerSecond > 0)) {
        throw new SmsValidationException("throttle.partsPerSecond", "must be > 0: " + partsPerSecond);
      }
      this.partsPerSecond.put(Objects.requireNonNull(provider, "provider == null"), partsPerSecond);
      return this;
    }

    /** The ISO 3166-1 alpha-2 region for reading national numbers. */
    public Builder defaultRegion(String defaultRegion) {
      this.defaultRegion = defaultRegion;
      return this;
    }

    /** The clock for timestamps, TTLs, backoff and throttling. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The scheduler for retries and throttling delays. Default: a single daemon thread owned by the gateway. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
      return this;
    }

    /** Where opt-outs are kept. Default in memory. */
    public Builder optOutStore(OptOutStore optOutStore) {
      this.optOutStore = Objects.requireNonNull(optOutStore, "optOutStore == null");
      return this;
    }

    /** Where message state, idempotency keys and de-duplication marks are kept. Default in memory. */
    public Builder messageStore(MessageStore messageStore) {
      this.messageStore = Objects.requireNonNull(messageStore, "messageStore == null");
      return this;
    }

    /** How retryable failures are retried. Default {@link RetryPolicy#defaults()}. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
      return this;
    }

    /** How long an idempotency key holds. Default 24 hours. */
    public Builder idempotencyTtl(Duration idempotencyTtl) {
      this.idempotencyTtl = Objects.requireNonNull(idempotencyTtl, "idempotencyTtl == null");
      return this;
    }

    /** Takes inbound messages (usually the routing engine). Default: none, inbound is only given to listeners. */
    public Builder inboundHandler(InboundHandler inboundHandler) {
      this.inboundHandler = Objects.requireNonNull(inboundHandler, "inboundHandler == null");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(GatewayListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /** The most parts one message may have. Default 10. */
    public Builder maxParts(int maxParts) {
      if (maxParts < 1 || maxParts > 255) {
        throw new SmsValidationException("maxParts", "must be 1-255: " + maxParts);
      }
      this.maxParts = maxParts;
      return this;
    }

    /**
     * Builds the gateway.
     *
     * @throws SmsConfigurationException if there is no provider, or a failover or throttle names an unknown one
     */
    public SmsGateway build() {
      if (providers.isEmpty()) {
        throw new SmsConfigurationException("a gateway needs at least one provider");
      }
      return new SmsGateway(this);
    }
  }
}
