package dev.smsgateway.compliance;

import dev.smsgateway.SmsValidationException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A sending window in the recipient's local time, for some purposes: outside it a send is refused or held until it
 * opens. The US TCPA rules for telephone solicitation allow 8:00 to 21:00 in the called party's local time, the
 * window {@link #builder()} starts with.
 *
 * <p>Immutable and thread-safe.
 */
public final class QuietHours {

  /** What happens to a send outside the window. */
  public enum Action {
    /** Fail the send with {@link dev.smsgateway.SmsComplianceException} (not retryable). */
    REFUSE,
    /** Keep it in the held-message store and send it when the window opens. */
    HOLD
  }

  private final LocalTime opens;
  private final LocalTime closes;
  private final Set<Purpose> purposes;
  private final Action action;
  private final boolean exemptConversationReplies;

  private QuietHours(Builder b) {
    this.opens = b.opens;
    this.closes = b.closes;
    this.purposes = Set.copyOf(b.purposes);
    this.action = b.action;
    this.exemptConversationReplies = b.exemptConversationReplies;
  }

  /** A builder: window 08:00-21:00, for every purpose, {@link Action#HOLD}, conversation replies exempt. */
  public static Builder builder() {
    return new Builder();
  }

  /** When the window opens (local time, inclusive). */
  public LocalTime opens() {
    return opens;
  }

  /** When it closes (local time, exclusive). */
  public LocalTime closes() {
    return closes;
  }

  /** The purposes it applies to. */
  public Set<Purpose> purposes() {
    return purposes;
  }

  /** What happens outside the window. */
  public Action action() {
    return action;
  }

  /** Whether agents' replies inside an open conversation the customer started may go out at any time. */
  public boolean exemptConversationReplies() {
    return exemptConversationReplies;
  }

  /** Whether {@code instant} is inside the window in {@code zone}. */
  public boolean isOpen(Instant instant, ZoneId zone) {
    LocalTime t = instant.atZone(zone).toLocalTime();
    if (opens.isBefore(closes)) {
      return !t.isBefore(opens) && t.isBefore(closes);
    }
    // a window across midnight (22:00-06:00)
    return !t.isBefore(opens) || t.isBefore(closes);
  }

  /**
   * The next instant at or after {@code instant} when the window is open in {@code zone}. A window opening inside a
   * daylight-saving gap opens at the first valid local time after it.
   */
  public Instant nextOpening(Instant instant, ZoneId zone) {
    if (isOpen(instant, zone)) {
      return instant;
    }
    LocalDate day = instant.atZone(zone).toLocalDate();
    for (int i = 0; i < 3; i++) {
      Instant candidate = ZonedDateTime.of(day.plusDays(i), opens, zone).toInstant();
      if (!candidate.isBefore(instant)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no window opening within three days of " + instant); // cannot happen
  }

  @Override
  public String toString() {
    return "QuietHours{open " + opens + "-" + closes + " for " + purposes + ", " + action
        + (exemptConversationReplies ? ", conversation replies exempt" : "") + "}";
  }

  /** Builds {@link QuietHours}. Not thread-safe. */
  public static final class Builder {
    private LocalTime opens = LocalTime.of(8, 0);
    private LocalTime closes = LocalTime.of(21, 0);
    private Set<Purpose> purposes = EnumSet.allOf(Purpose.class);
    private Action action = Action.HOLD;
    private boolean exemptConversationReplies = true;

    private Builder() {}

    /**
     * The sending window in the recipient's local time: open from {@code opens} (inclusive) to {@code closes}
     * (exclusive); a window across midnight is allowed.
     *
     * @throws SmsValidationException naming {@code quietHours.window} when both times are equal
     */
    public Builder window(LocalTime opens, LocalTime closes) {
      Objects.requireNonNull(opens, "opens == null");
      Objects.requireNonNull(closes, "closes == null");
      if (opens.equals(closes)) {
        throw new SmsValidationException("quietHours.window", "opens and closes at the same time (" + opens
            + "): an empty window would stop every send");
      }
      this.opens = opens;
      this.closes = closes;
      return this;
    }

    /** The purposes the window applies to. Default all. */
    public Builder purposes(Purpose first, Purpose... more) {
      this.purposes = EnumSet.of(Objects.requireNonNull(first, "purpose == null"), more);
      return this;
    }

    /** Refuse or hold. Default {@link Action#HOLD}. */
    public Builder action(Action action) {
      this.action = Objects.requireNonNull(action, "action == null");
      return this;
    }

    /** Whether agents' replies in an open conversation are exempt. Default true. */
    public Builder exemptConversationReplies(boolean exempt) {
      this.exemptConversationReplies = exempt;
      return this;
    }

    /** Builds the window. */
    public QuietHours build() {
      return new QuietHours(this);
    }
  }
}
