package dev.smsgateway.compliance;

/**
 * How far an opt-out (STOP) reaches, and so where the keyword's consent records are written.
 *
 * <p>The US CTIA Messaging Principles and Best Practices tie an opt-out to the messaging program the customer texted
 * (a short code or a registered brand's campaign), which is what {@link #BRAND} models; {@link #GLOBAL} is the
 * most cautious choice and the library's behaviour without a compliance engine.
 */
public enum OptOutScope {
  /** Only the business number the customer texted. */
  BUSINESS_NUMBER,
  /** Every business number of the brand the texted number belongs to (the number alone when it has no brand). */
  BRAND,
  /** Every business number: the customer gets nothing more from anyone using this gateway. */
  GLOBAL
}
