package dev.smsgateway;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Limits on what the gateway may spend, per day and per month, for all providers together ({@link
 * Builder#gatewayLimit}) or per provider ({@link Builder#providerLimit}). Before each send the gateway adds the
 * message's estimated price (its parts times the provider's {@linkplain Builder#pricePerPart price per part}) to the
 * period's counters in the {@code MessageStore}, so gateway instances sharing a durable store share the budget; a
 * send that would take a counter past its limit is refused with {@link SmsBudgetExceededException} and nothing is
 * sent. When the provider reports the price it charged (Twilio's {@code price} in the send response, when it has
 * one), the counters are corrected to it; a send that failed before reaching the provider is taken off again. When a
 * counter first reaches {@linkplain Builder#warnAt the warning share} of its limit, the gateway logs a warning and
 * calls {@link GatewayListener#onBudgetThreshold}, once.
 *
 * <pre>{@code
 * SpendingBudget budget = SpendingBudget.builder()
 *     .pricePerPart("twilio-main", new BigDecimal("0.0083"))
 *     .gatewayLimit(new BigDecimal("50"), new BigDecimal("1000"))           // per day, per month
 *     .providerLimit("twilio-main", new BigDecimal("20"), null)             // per day only
 *     .build();
 * SmsGateway.builder().provider(twilio).spendingBudget(budget);
 * }</pre>
 *
 * <p>Days and months begin at midnight in {@link #zone()} (UTC by default). Amounts are counted in millionths of the
 * currency unit. Immutable and thread-safe.
 */
public final class SpendingBudget {

  /** The default share of a limit at which the gateway warns: 80%. */
  public static final double DEFAULT_WARN_AT = 0.8;

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /** A limit per day and per month; either may be null (no limit for that period). */
  record Limits(BigDecimal perDay, BigDecimal perMonth) {}

  private final String currency;
  private final ZoneId zone;
  private final double warnAt;
  private final Map<String, BigDecimal> pricePerPart;
  private final Limits gateway;
  private final Map<String, Limits> providers;

  private SpendingBudget(Builder b) {
    this.currency = b.currency;
    this.zone = b.zone;
    this.warnAt = b.warnAt;
    this.pricePerPart = Map.copyOf(b.pricePerPart);
    this.gateway = b.gateway;
    this.providers = Map.copyOf(b.providers);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The currency of every amount and price, ISO 4217. Default USD. */
  public String currency() {
    return currency;
  }

  /** Where days and months begin. Default UTC. */
  public ZoneId zone() {
    return zone;
  }

  /** The share of a limit at which the gateway warns, in (0, 1]. Default {@value #DEFAULT_WARN_AT}. */
  public double warnAt() {
    return warnAt;
  }

  /** The configured price of one part on {@code provider}. */
  public Optional<BigDecimal> pricePerPart(String provider) {
    return Optional.ofNullable(pricePerPart.get(provider));
  }

  Optional<Limits> gatewayLimits() {
    return Optional.ofNullable(gateway);
  }

  Optional<Limits> providerLimits(String provider) {
    return Optional.ofNullable(providers.get(provider));
  }

  /** The providers that have limits of their own. */
  java.util.Set<String> limitedProviders() {
    return providers.keySet();
  }

  /** The providers that have a price per part. */
  java.util.Set<String> pricedProviders() {
    return pricePerPart.keySet();
  }

  @Override
  public String toString() {
    return "SpendingBudget{currency=" + currency + ", zone=" + zone + ", warnAt=" + warnAt + ", gateway=" + gateway
        + ", providers=" + providers + ", pricePerPart=" + pricePerPart + "}";
  }

  /** Builds {@link SpendingBudget}. Not thread-safe. */
  public static final class Builder {
    private String currency = "USD";
    private ZoneId zone = ZoneOffset.UTC;
    private double warnAt = DEFAULT_WARN_AT;
    private final Map<String, BigDecimal> pricePerPart = new LinkedHashMap<>();
    private Limits gateway;
    private final Map<String, Limits> providers = new LinkedHashMap<>();

    private Builder() {}

    /** The currency of every amount, ISO 4217 ({@code USD}). A price a provider reports in another one is not used. */
    public Builder currency(String currency) {
      String c = Objects.requireNonNull(currency, "currency == null").strip().toUpperCase(Locale.ROOT);
      if (!CURRENCY.matcher(c).matches()) {
        throw new SmsValidationException("spendingBudget.currency", "is not an ISO 4217 code: '" + currency + "'");
      }
      this.currency = c;
      return this;
    }

    /** Where days and months begin. Default UTC. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone == null");
      return this;
    }

    /** The share of a limit at which to warn once, in (0, 1]. Default 0.8. */
    public Builder warnAt(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new SmsValidationException("spendingBudget.warnAt", "must be > 0 and <= 1: " + share);
      }
      this.warnAt = share;
      return this;
    }

    /**
     * The price of one SMS part on {@code provider}: the estimate counted before each send, and the amount counted
     * when the provider does not report its price. Required for every provider a limit covers.
     */
    public Builder pricePerPart(String provider, BigDecimal price) {
      Objects.requireNonNull(provider, "provider == null");
      pricePerPart.put(provider, amount("spendingBudget.pricePerPart[" + provider + "]", price));
      return this;
    }

    /** Limits all providers together; {@code perDay} or {@code perMonth} may be null, not both. */
    public Builder gatewayLimit(BigDecimal perDay, BigDecimal perMonth) {
      this.gateway = limits("spendingBudget.gatewayLimit", perDay, perMonth);
      return this;
    }

    /** Limits one provider; {@code perDay} or {@code perMonth} may be null, not both. */
    public Builder providerLimit(String provider, BigDecimal perDay, BigDecimal perMonth) {
      Objects.requireNonNull(provider, "provider == null");
      providers.put(provider, limits("spendingBudget.providerLimit[" + provider + "]", perDay, perMonth));
      return this;
    }

    /**
     * Builds the budget. The gateway checks, when it is built, that the providers named exist and that each provider
     * a limit covers has a price per part.
     *
     * @throws SmsValidationException if no limit was set
     */
    public SpendingBudget build() {
      if (gateway == null && providers.isEmpty()) {
        throw new SmsValidationException("spendingBudget", "has no limit: set gatewayLimit or providerLimit");
      }
      return new SpendingBudget(this);
    }

    private static Limits limits(String field, BigDecimal perDay, BigDecimal perMonth) {
      if (perDay == null && perMonth == null) {
        throw new SmsValidationException(field, "needs a limit per day, per month or both");
      }
      return new Limits(perDay == null ? null : amount(field + ".perDay", perDay),
          perMonth == null ? null : amount(field + ".perMonth", perMonth));
    }

    private static BigDecimal amount(String field, BigDecimal value) {
      Objects.requireNonNull(value, field + " == null");
      if (value.signum() <= 0) {
        throw new SmsValidationException(field, "must be positive: " + value.toPlainString());
      }
      if (value.stripTrailingZeros().scale() > 6) {
        throw new SmsValidationException(field, "has more than 6 decimal places: " + value.toPlainString());
      }
      if (value.compareTo(new BigDecimal("1000000000")) > 0) {
        throw new SmsValidationException(field, "must be at most 1,000,000,000: " + value.toPlainString());
      }
      return value;
    }
  }
}
