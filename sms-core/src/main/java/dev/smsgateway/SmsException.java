package dev.smsgateway;

import dev.smsgateway.internal.Redaction;
import java.util.Optional;

/**
 * The root of every error this library reports. Unchecked and sealed, so callers can rely on the categories:
 *
 * <ul>
 *   <li>{@link SmsValidationException}: bad input, caught before anything reached a provider. Permanent.
 *   <li>{@link SmsConfigurationException}: wrong credentials, settings or provider names. Permanent; fix the set-up.
 *   <li>{@link SmsRejectedException}: the provider or carrier refused this message (invalid destination, filtered,
 *       quota). Permanent for this message.
 *   <li>{@link SmsOptedOutException}: the recipient opted out. Permanent until they opt back in.
 *   <li>{@link SmsThrottledException}: too fast for the provider. Retryable after a wait.
 *   <li>{@link SmsBudgetExceededException}: a spending budget's limit is reached; nothing was sent. Permanent until
 *       the next period or a higher limit.
 *   <li>{@link SmsTransportException}: the network or the provider failed. Retryable; when the request may have
 *       left the building, {@link #possiblyDelivered()} is true and a blind retry could send the message twice.
 * </ul>
 *
 * <p>{@link #providerCode()} keeps the provider's raw code ({@code 21610}, {@code 0x00000058},
 * {@code ThrottlingException}) for operators. Messages never contain secrets or whole phone numbers: every message
 * and cause chain passes through a redaction of credentials (URL user info, {@code password=}-style pairs, echoed
 * auth headers) and E.164 numbers; a cause whose chain held one is replaced by a redacted copy.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class SmsException extends RuntimeException
    permits SmsValidationException, SmsConfigurationException, SmsRejectedException, SmsOptedOutException,
        SmsThrottledException, SmsTransportException, SmsBudgetExceededException, SmsComplianceException {

  private static final long serialVersionUID = 1L;

  private final String provider;
  private final String providerCode;

  SmsException(String message, String provider, String providerCode, Throwable cause) {
    // Messages and causes often quote a driver or an SDK (a JDBC URL, an echoed AWS canonical request): whatever
    // they quote, no credential or whole phone number leaves through an SmsException.
    super(Redaction.text(message), Redaction.cause(cause));
    this.provider = provider;
    this.providerCode = providerCode;
  }

  /** Whether sending the same message again later can succeed. */
  public abstract boolean retryable();

  /**
   * Whether the provider may have accepted the message despite this error (a timeout or a 5xx after the request was
   * sent). Such a message must not be retried blindly: resolve it through a delivery report or an explicit policy.
   */
  public boolean possiblyDelivered() {
    return false;
  }

  /** The provider's raw error code, when it gave one. */
  public Optional<String> providerCode() {
    return Optional.ofNullable(providerCode);
  }

  /** The name of the provider that reported the error; empty for errors raised before a provider was chosen. */
  public Optional<String> provider() {
    return Optional.ofNullable(provider);
  }
}
