package dev.smsgateway;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How many SMS parts a second each sending number (originator) may send, whatever provider it is sent through:
 * carriers limit each number, not each provider account, so several numbers on one provider each get their own
 * token bucket. A rate set for one number wins over the rate for its {@linkplain Originator.Kind kind}.
 *
 * <p>{@link #defaults()} follows the rates AWS End User Messaging and Twilio publish for US numbers: a long code
 * sends 1 part a second, a toll-free number 3, a short code 100. Alphanumeric sender ids have no common published
 * rate (it varies by country), so they are not limited unless a rate is set for the kind or the sender id.
 *
 * <pre>{@code
 * OriginatorThrottles throttles = OriginatorThrottles.defaults().toBuilder()
 *     .kind(Originator.Kind.LONG_CODE, 10)                        // a 10DLC campaign with 10 parts a second
 *     .number(Originator.parse("+14155550199", "US"), 2)
 *     .build();
 * SmsGateway.builder().provider(provider).originatorThrottles(throttles);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class OriginatorThrottles {

  /** A long code's default: 1 part a second (AWS End User Messaging and Twilio, US long codes). */
  public static final double LONG_CODE_PARTS_PER_SECOND = 1;
  /** A toll-free number's default: 3 parts a second (AWS End User Messaging and Twilio, US toll-free). */
  public static final double TOLL_FREE_PARTS_PER_SECOND = 3;
  /** A short code's default: 100 parts a second (AWS End User Messaging and Twilio, US short codes). */
  public static final double SHORT_CODE_PARTS_PER_SECOND = 100;
  /** The highest rate that may be set; more than any carrier grants one number. */
  public static final double MAX_PARTS_PER_SECOND = 100_000;

  private static final OriginatorThrottles DEFAULTS = builder()
      .kind(Originator.Kind.LONG_CODE, LONG_CODE_PARTS_PER_SECOND)
      .kind(Originator.Kind.TOLL_FREE, TOLL_FREE_PARTS_PER_SECOND)
      .kind(Originator.Kind.SHORT_CODE, SHORT_CODE_PARTS_PER_SECOND)
      .build();
  private static final OriginatorThrottles NONE = builder().build();

  private final Map<Originator.Kind, Double> byKind;
  private final Map<Originator, Double> byNumber;

  private OriginatorThrottles(Builder b) {
    this.byKind = Map.copyOf(b.byKind);
    this.byNumber = Map.copyOf(b.byNumber);
  }

  /** Long codes 1, toll-free numbers 3, short codes 100 parts a second; sender ids unlimited. */
  public static OriginatorThrottles defaults() {
    return DEFAULTS;
  }

  /** No number is limited (the provider throttles still apply). */
  public static OriginatorThrottles none() {
    return NONE;
  }

  /** An empty builder: nothing is limited until a rate is set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these rates. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.byKind.putAll(byKind);
    b.byNumber.putAll(byNumber);
    return b;
  }

  /** The rate for {@code originator}: its own, else its kind's; empty when it is not limited. */
  public OptionalDouble partsPerSecond(Originator originator) {
    Objects.requireNonNull(originator, "originator == null");
    Double rate = byNumber.get(originator);
    if (rate == null) {
      rate = byKind.get(originator.kind());
    }
    return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OriginatorThrottles t && byKind.equals(t.byKind) && byNumber.equals(t.byNumber);
  }

  @Override
  public int hashCode() {
    return Objects.hash(byKind, byNumber);
  }

  @Override
  public String toString() {
    return "OriginatorThrottles{byKind=" + new EnumMap<>(byKind) + ", numbers=" + byNumber.size() + "}";
  }

  /** Builds {@link OriginatorThrottles}. Not thread-safe. */
  public static final class Builder {
    private final Map<Originator.Kind, Double> byKind = new EnumMap<>(Originator.Kind.class);
    private final Map<Originator, Double> byNumber = new HashMap<>();

    private Builder() {}

    /**
     * Limits every originator of {@code kind} to {@code partsPerSecond}.
     *
     * @throws SmsValidationException (field {@code originatorThrottles.partsPerSecond}) unless the rate is in
     *     (0, {@value OriginatorThrottles#MAX_PARTS_PER_SECOND}]
     */
    public Builder kind(Originator.Kind kind, double partsPerSecond) {
      byKind.put(Objects.requireNonNull(kind, "kind == null"), check(partsPerSecond));
      return this;
    }

    /** Lifts the limit of {@code kind} (numbers with a rate of their own keep it). */
    public Builder unlimited(Originator.Kind kind) {
      byKind.remove(Objects.requireNonNull(kind, "kind == null"));
      return this;
    }

    /**
     * Limits one originator to {@code partsPerSecond}, whatever its kind's rate.
     *
     * @throws SmsValidationException (field {@code originatorThrottles.partsPerSecond}) unless the rate is in
     *     (0, {@value OriginatorThrottles#MAX_PARTS_PER_SECOND}]
     */
    public Builder number(Originator originator, double partsPerSecond) {
      byNumber.put(Objects.requireNonNull(originator, "originator == null"), check(partsPerSecond));
      return this;
    }

    /** Sets a rate for each originator of {@code rates} (for example a routing configuration's per-number rates). */
    public Builder numbers(Map<Originator, Double> rates) {
      Objects.requireNonNull(rates, "rates == null").forEach((o, r) -> number(o, Objects.requireNonNull(r,
          "rate == null")));
      return this;
    }

    /** Builds the rates. */
    public OriginatorThrottles build() {
      return new OriginatorThrottles(this);
    }

    private static double check(double partsPerSecond) {
      if (!(partsPerSecond > 0 && partsPerSecond <= MAX_PARTS_PER_SECOND)) {
        throw new SmsValidationException("originatorThrottles.partsPerSecond",
            "must be > 0 and <= " + (long) MAX_PARTS_PER_SECOND + ": " + partsPerSecond);
      }
      return partsPerSecond;
    }
  }
}
