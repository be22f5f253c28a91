package dev.smsgateway;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The gateway refused to send because a {@link SpendingBudget} limit is reached: what was spent in the period plus
 * this message's estimated price would exceed it. Not retryable until the next period or a higher limit; nothing was
 * sent, and the message's status becomes {@code REJECTED}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsBudgetExceededException extends SmsException {

  private static final long serialVersionUID = 1L;

  private final String scope;
  private final String period;
  private final BigDecimal limit;
  private final BigDecimal spent;

  /**
   * A refusal by the budget of {@code scope} ({@code gateway} or {@code provider <name>}) for {@code period}
   * ({@code day 2026-01-31}, {@code month 2026-01}).
   */
  public SmsBudgetExceededException(String provider, String scope, String period, BigDecimal limit, BigDecimal spent,
      String currency, BigDecimal estimate) {
    super("spending budget reached: " + scope + " has spent " + spent.toPlainString() + " of its "
        + limit.toPlainString() + " " + currency + " limit for " + period + ", and this message (estimated "
        + estimate.toPlainString() + " " + currency + ") would exceed it; it was not sent. Raise the limit or wait"
        + " for the next " + period.substring(0, period.indexOf(' ')), provider, null, null);
    this.scope = Objects.requireNonNull(scope, "scope == null");
    this.period = period;
    this.limit = limit;
    this.spent = spent;
  }

  /** Whose budget: {@code gateway} or {@code provider <name>}. */
  public String scope() {
    return scope;
  }

  /** The period: {@code day 2026-01-31} or {@code month 2026-01}. */
  public String period() {
    return period;
  }

  /** The limit that would be exceeded. */
  public BigDecimal limit() {
    return limit;
  }

  /** What was spent in the period before this message. */
  public BigDecimal spent() {
    return spent;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
