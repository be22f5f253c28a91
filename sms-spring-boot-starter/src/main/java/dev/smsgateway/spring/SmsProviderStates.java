package dev.smsgateway.spring;

import dev.smsgateway.GatewayListener;
import dev.smsgateway.ProviderState;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last connection state each provider reported, as the gateway saw it: kept for the health indicators. A provider
 * that has reported nothing yet (the gateway is not started) has no state.
 *
 * <p>Thread-safe.
 */
public final class SmsProviderStates implements GatewayListener {

  /** One provider's state, its detail as the provider reported it, and when it changed. */
  public record State(ProviderState state, String detail, Instant since) {}

  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Clock clock;

  /** @param clock the clock of {@link State#since()} */
  public SmsProviderStates(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void onProviderState(String provider, ProviderState state, String detail) {
    states.put(provider, new State(state, detail, clock.instant()));
  }

  /** The last state {@code provider} reported. */
  public Optional<State> state(String provider) {
    return Optional.ofNullable(states.get(provider));
  }

  @Override
  public String toString() {
    return "SmsProviderStates" + states;
  }
}
