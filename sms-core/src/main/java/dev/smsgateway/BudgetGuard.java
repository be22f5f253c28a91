package dev.smsgateway;

import dev.smsgateway.store.MessageStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces a {@link SpendingBudget} with counters in the {@link MessageStore}: {@link #reserve} adds a message's
 * estimate to every counter that covers it (or refuses it), {@link #settle} corrects the counters to the price the
 * provider reported, {@link #release} takes the estimate off again for a send that never reached the provider.
 * A counter's key names the currency, the scope and the period, so every instance on one store adds to the same
 * counters; each addition is atomic and returns the new total, so exactly one addition crosses the warning line.
 *
 * <p>Thread-safe.
 */
final class BudgetGuard {

  private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);
  private static final int MICROS = 6;

  /** Receives the one warning per counter. */
  interface ThresholdListener {
    void reached(String scope, String period, BigDecimal spent, BigDecimal limit);
  }

  private record Counter(String key, String scope, String period, long limit) {}

  /** What one send added to which counters. */
  record Reservation(List<Counter> counters, long amount, String provider) {}

  private final SpendingBudget budget;
  private final MessageStore store;
  private final Clock clock;
  private final ThresholdListener listener;
  // Counters this instance already warned about (an addition and a refund around the line must not warn twice).
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  BudgetGuard(SpendingBudget budget, MessageStore store, Clock clock, ThresholdListener listener) {
    this.budget = budget;
    this.store = store;
    this.clock = clock;
    this.listener = listener;
  }

  /** Checks at build time that every provider a limit covers has a price, and that named providers exist. */
  static void check(SpendingBudget budget, Set<String> providers) {
    for (String p : budget.limitedProviders()) {
      if (!providers.contains(p)) {
        throw new SmsConfigurationException("spendingBudget.providerLimit names unknown provider '" + p
            + "'; configured: " + providers);
      }
    }
    for (String p : budget.pricedProviders()) {
      if (!providers.contains(p)) {
        throw new SmsConfigurationException("spendingBudget.pricePerPart names unknown provider '" + p
            + "'; configured: " + providers);
      }
    }
    for (String p : providers) {
      boolean covered = budget.gatewayLimits().isPresent() || budget.providerLimits(p).isPresent();
      if (covered && budget.pricePerPart(p).isEmpty()) {
        throw new SmsConfigurationException("spendingBudget.pricePerPart[" + p + "] is required: a limit covers"
            + " provider '" + p + "', and its price is not known before it sends");
      }
    }
  }

  /**
   * Adds the estimate for {@code parts} parts on {@code provider} to each counter covering it; null when none does.
   *
   * @throws SmsBudgetExceededException if a counter would pass its limit (nothing stays added)
   */
  Reservation reserve(String provider, int parts) {
    List<Counter> counters = counters(provider);
    if (counters.isEmpty()) {
      return null;
    }
    BigDecimal price = budget.pricePerPart(provider).orElseThrow();
    long amount = micros(price.multiply(BigDecimal.valueOf(parts)));
    List<Counter> added = new ArrayList<>(counters.size());
    try {
      for (Counter c : counters) {
        long total = store.addToCounter(c.key, amount, expiry(c));
        added.add(c);
        if (total > c.limit) {
          undo(added, amount);
          throw new SmsBudgetExceededException(provider, c.scope, c.period, money(c.limit), money(total - amount),
              budget.currency(), money(amount));
        }
        warnIfCrossed(c, total - amount, total);
      }
    } catch (RuntimeException e) {
      if (!(e instanceof SmsBudgetExceededException)) {
        undo(added, amount);
      }
      throw e;
    }
    return new Reservation(List.copyOf(counters), amount, provider);
  }

  /** Corrects the counters to the price the provider reported in {@code receipt}, when it reported one we can use. */
  void settle(Reservation reservation, SendReceipt receipt) {
    if (reservation == null) {
      return;
    }
    Long charged = reportedPrice(receipt);
    if (charged == null || charged == reservation.amount) {
      return;
    }
    long delta = charged - reservation.amount;
    for (Counter c : reservation.counters) {
      try {
        long total = store.addToCounter(c.key, delta, expiry(c));
        warnIfCrossed(c, total - delta, total);
      } catch (RuntimeException e) {
        log.warn("could not correct the {} budget for {} to the reported price; the estimate stays counted", c.scope,
            c.period, e);
      }
    }
  }

  /** Takes a reservation off again: the send did not reach the provider. */
  void release(Reservation reservation) {
    if (reservation != null) {
      undo(reservation.counters, reservation.amount);
    }
  }

  private void undo(List<Counter> counters, long amount) {
    for (Counter c : counters) {
      try {
        store.addToCounter(c.key, -amount, expiry(c));
      } catch (RuntimeException e) {
        log.warn("could not take {} {} back off the {} budget for {}; it stays counted", money(amount),
            budget.currency(), c.scope, c.period, e);
      }
    }
  }

  private Long reportedPrice(SendReceipt receipt) {
    Map<String, String> details = receipt.details();
    String price = details.get("price");
    if (price == null || price.isBlank()) {
      return null;
    }
    String unit = details.get("priceUnit");
    if (unit != null && !unit.strip().equalsIgnoreCase(budget.currency())) {
      log.debug("provider {} reported a price in {}, not {}; counting the configured price", receipt.provider(),
          unit, budget.currency());
      return null;
    }
    try {
      // Twilio reports what it charged as a negative amount ("-0.00750").
      return micros(new BigDecimal(price.strip()).abs());
    } catch (NumberFormatException e) {
      log.debug("provider {} reported a price that is not a number; counting the configured price",
          receipt.provider());
      return null;
    }
  }

  private void warnIfCrossed(Counter c, long before, long after) {
    long line = BigDecimal.valueOf(c.limit).multiply(BigDecimal.valueOf(budget.warnAt()))
        .setScale(0, RoundingMode.CEILING).longValueExact();
    if (before < line && after >= line && warned.add(c.key)) {
      log.warn("spending budget: {} has spent {} of its {} {} limit for {} ({}% warning line)", c.scope,
          money(after).toPlainString(), money(c.limit).toPlainString(), budget.currency(), c.period,
          Math.round(budget.warnAt() * 100));
      listener.reached(c.scope, c.period, money(after), money(c.limit));
    }
  }

  private List<Counter> counters(String provider) {
    ZonedDateTime now = clock.instant().atZone(budget.zone());
    String day = "day " + now.toLocalDate();
    String month = "month " + YearMonth.from(now);
    List<Counter> counters = new ArrayList<>(4);
    budget.gatewayLimits().ifPresent(l -> add(counters, "gateway", day, month, l));
    budget.providerLimits(provider).ifPresent(l -> add(counters, "provider " + provider, day, month, l));
    return counters;
  }

  private void add(List<Counter> counters, String scope, String day, String month, SpendingBudget.Limits limits) {
    if (limits.perDay() != null) {
      counters.add(new Counter(key(scope, day), scope, day, micros(limits.perDay())));
    }
    if (limits.perMonth() != null) {
      counters.add(new Counter(key(scope, month), scope, month, micros(limits.perMonth())));
    }
  }

  private String key(String scope, String period) {
    return "spend|" + budget.currency() + "|" + scope + "|" + period.replace(' ', ':');
  }

  /** The counter lives one day past the end of its period, then the purge may delete it. */
  private java.time.Instant expiry(Counter c) {
    String[] p = c.period.split(" ");
    LocalDate end = p[0].equals("day") ? LocalDate.parse(p[1]).plusDays(1)
        : YearMonth.parse(p[1]).plusMonths(1).atDay(1);
    return end.plusDays(1).atStartOfDay(budget.zone()).toInstant();
  }

  static long micros(BigDecimal amount) {
    return amount.movePointRight(MICROS).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  static BigDecimal money(long micros) {
    return BigDecimal.valueOf(micros, MICROS).stripTrailingZeros();
  }

}
