package dev.smsgateway;

/**
 * The recipient opted out (for example by texting STOP), so the message was not sent. Raised by the gateway's own
 * opt-out check, or by a provider that keeps its own list (Twilio 21610, AWS ConflictException). Not retryable until
 * the recipient opts back in.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsOptedOutException extends SmsException {

  private static final long serialVersionUID = 1L;

  private final PhoneNumber recipient;

  /** Raised by the library's own opt-out check. */
  public SmsOptedOutException(PhoneNumber recipient) {
    this(recipient, null, null);
  }

  /** Raised from a provider's own opt-out list. */
  public SmsOptedOutException(PhoneNumber recipient, String provider, String providerCode) {
    super("recipient " + recipient + " has opted out of messages"
        + (provider == null ? "" : " (provider " + provider + ")")
        + "; they can opt back in by texting START", provider, providerCode, null);
    this.recipient = recipient;
  }

  /** The recipient who opted out. */
  public PhoneNumber recipient() {
    return recipient;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
