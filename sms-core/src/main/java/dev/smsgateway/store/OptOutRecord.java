package dev.smsgateway.store;

import dev.smsgateway.PhoneNumber;
import java.time.Instant;
import java.util.Objects;

/**
 * A customer's latest opt-out or opt-in.
 *
 * <p>Immutable and thread-safe.
 *
 * @param customer the customer's number
 * @param optedOut true after STOP (or a provider's opt-out), false after START
 * @param keyword what the customer sent, upper case ({@code STOP}, {@code START}), or a provider code such as
 *     {@code twilio:21610}
 * @param source where it came from: the business number key, or the provider name
 * @param at when it happened
 */
public record OptOutRecord(PhoneNumber customer, boolean optedOut, String keyword, String source, Instant at) {

  /** Checks required fields. */
  public OptOutRecord {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(at, "at == null");
  }
}
