package dev.smsgateway;

/**
 * The connection state of a provider, reported through {@link ProviderListener#onStateChange}. HTTP providers are
 * {@link #CONNECTED} from start to close.
 *
 * <p>Immutable and thread-safe.
 */
public enum ProviderState {
  /** Started and trying to connect or bind. */
  CONNECTING,
  /** Connected (bound, for SMPP) and able to send. */
  CONNECTED,
  /** The connection was lost; the provider is reconnecting. Sends wait or fail as the provider documents. */
  DISCONNECTED,
  /** The provider gave up (bad credentials, for example) and will not reconnect by itself. */
  FAILED,
  /** Closed by the application. */
  CLOSED
}
