package dev.smsgateway.routing;

/**
 * What kind of provider a {@link Mapping}'s numbers live on, where the kind sets a limit: an AWS End User Messaging
 * mapping holds at most {@value Mapping#MAX_EUM_NUMBERS} numbers, any other at most {@value Mapping#MAX_NUMBERS} (the
 * limits of the contact-center administration this library replaces).
 *
 * <p>Immutable and thread-safe.
 */
public enum ProviderType {
  /** An SMPP connection to an SMSC. */
  SMPP,
  /** Twilio (a REST provider). */
  TWILIO,
  /** AWS End User Messaging SMS (formerly Amazon Pinpoint SMS). */
  EUM,
  /** Any other provider; the default. */
  OTHER
}
