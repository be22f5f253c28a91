package dev.smsgateway;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A compliance rule refused the send: a marketing message without the recipient's live consent, or a send outside
 * the recipient's quiet-hours window configured to refuse. Not retryable: sending again changes nothing until the
 * customer consents or the window opens ({@link #retryAfter()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsComplianceException extends SmsException {

  private static final long serialVersionUID = 1L;

  /** Which rule refused the send. */
  public enum Rule {
    /** A marketing send without live consent for the sender's number, brand or globally. */
    NO_CONSENT,
    /** A send outside the recipient's sending window. */
    QUIET_HOURS
  }

  private final Rule rule;
  private final PhoneNumber recipient;
  private final transient Instant retryAfter;

  /** A refusal by {@code rule}; {@code retryAfter} is when the window opens (quiet hours), else null. */
  public SmsComplianceException(Rule rule, PhoneNumber recipient, String message, Instant retryAfter) {
    super(message, null, null, null);
    this.rule = Objects.requireNonNull(rule, "rule == null");
    this.recipient = Objects.requireNonNull(recipient, "recipient == null");
    this.retryAfter = retryAfter;
  }

  /** Which rule refused the send. */
  public Rule rule() {
    return rule;
  }

  /** The recipient. */
  public PhoneNumber recipient() {
    return recipient;
  }

  /** When the window opens, for a quiet-hours refusal. */
  public Optional<Instant> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
