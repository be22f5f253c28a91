package dev.smsgateway;

/**
 * Bad input, detected before anything reached a provider: it names the field and says what is wrong with the value.
 * Never retryable.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmsValidationException extends SmsException {

  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the name of the offending field, for example {@code to} or {@code mappings[sales].defaultCountry}
   * @param problem what is wrong, phrased to follow the field name ("is blank", "is too long: 1,700 > 1,600 characters")
   */
  public SmsValidationException(String field, String problem) {
    super(field + " " + problem, null, null, null);
    this.field = field;
  }

  /** The name of the offending field. */
  public String field() {
    return field;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
