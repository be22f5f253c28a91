package dev.smsgateway.spring;

import dev.smsgateway.ProviderState;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The health of one provider, from the last state it reported ({@link SmsProviderStates}): connected (SMPP: bound)
 * UP; connecting UNKNOWN; disconnected (reconnecting) or failed (gave up, for example a refused bind) DOWN; closed
 * OUT_OF_SERVICE; nothing reported yet (gateway not started) UNKNOWN. Details: the provider type, the state, the
 * provider's own detail text (the same text the gateway logs at INFO, which never holds a credential) and since when.
 *
 * <p>Thread-safe.
 */
final class SmsHealthIndicator implements HealthIndicator {

  private final String provider;
  private final String type;
  private final SmsProviderStates states;

  SmsHealthIndicator(String provider, String type, SmsProviderStates states) {
    this.provider = provider;
    this.type = type;
    this.states = states;
  }

  @Override
  public Health health() {
    return states.state(provider).map(s -> {
      Health.Builder b = Health.status(status(s.state())).withDetail("type", type).withDetail("state",
          s.state().name()).withDetail("since", s.since().toString());
      if (s.detail() != null) {
        b.withDetail("detail", s.detail());
      }
      return b.build();
    }).orElseGet(() -> Health.unknown().withDetail("type", type).withDetail("state", "NOT_STARTED").build());
  }

  static Status status(ProviderState state) {
    return switch (state) {
      case CONNECTED -> Status.UP;
      case CONNECTING -> Status.UNKNOWN;
      case DISCONNECTED, FAILED -> Status.DOWN;
      case CLOSED -> Status.OUT_OF_SERVICE;
    };
  }

  @Override
  public String toString() {
    return "SmsHealthIndicator{" + provider + "}";
  }
}
