package dev.smsgateway.spring;

/**
 * A {@code sms.*} setting is wrong: {@link #property()} names it (as written in {@code application.yml}, for example
 * {@code sms.providers.smsc.smpp.host}) and the message says what is wrong. Thrown while the context starts, so the
 * application does not start; {@link SmsPropertyFailureAnalyzer} presents it. Never carries a setting's value when
 * the setting may be a secret.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsPropertyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String property;

  /**
   * @param property the full property name
   * @param problem what is wrong, phrased to follow the name ("is required", "must be ...")
   * @param cause the library's exception, or null
   */
  public SmsPropertyException(String property, String problem, Throwable cause) {
    super(property + " " + problem, cause);
    this.property = property;
  }

  /** The full name of the offending property. */
  public String property() {
    return property;
  }
}
