package dev.smsgateway.compliance;

import dev.smsgateway.PhoneNumber;
import java.time.Instant;
import java.util.Objects;

/**
 * One grant or withdrawal of consent: who, for which scope and purpose, when, how, and a reference to the proof.
 * Records are never changed; the latest one for a (customer, scope, purpose) is the one in force.
 *
 * <p>Immutable and thread-safe.
 *
 * @param customer the customer's number
 * @param scope where it applies: {@link ConsentScopes#number}, {@link ConsentScopes#brand} or {@link ConsentScopes#GLOBAL}
 * @param purpose what kind of messages it covers
 * @param granted true for a grant, false for a withdrawal (an opt-out)
 * @param method how it was given
 * @param proofReference where the proof is (a form submission id, a keyword message id, a call id); may be null
 * @param at when it happened
 */
public record ConsentRecord(PhoneNumber customer, String scope, Purpose purpose, boolean granted,
    ConsentMethod method, String proofReference, Instant at) {

  /** Checks required fields. */
  public ConsentRecord {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(scope, "scope == null");
    Objects.requireNonNull(purpose, "purpose == null");
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(at, "at == null");
    if (scope.isBlank()) {
      throw new IllegalArgumentException("scope is blank");
    }
  }

  @Override
  public String toString() {
    return "ConsentRecord{" + customer + " " + (granted ? "granted " : "withdrew ") + purpose + " for " + scope
        + " by " + method + " at " + at + "}";
  }
}
