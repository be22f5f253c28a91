package dev.smsgateway;

/**
 * How a gateway checks a number that is already written in E.164 ({@code +} and 2-15 digits). Input in any other
 * form (national numbers, spaces, {@code 00} prefixes) is always read and checked by libphonenumber.
 *
 * @see SmsGateway.Builder#numberCheck(NumberCheck)
 */
public enum NumberCheck {

  /**
   * libphonenumber's full check: the number must be valid for its country (its number plan's ranges), and a sender
   * is a toll-free number when libphonenumber says so. The first check of a country loads that country's metadata
   * (tens of milliseconds on a cold JVM). The default.
   */
  LIBPHONENUMBER,

  /**
   * E.164 syntax, a country calling code that is assigned, and a national number length that the country's plan
   * allows, from a table in the library (the lengths libphonenumber reports as possible; no metadata load, no
   * libphonenumber call). Numbers in unassigned ranges of a plan pass; the provider refuses them. An E.164 sender is
   * a toll-free number when it is a North American toll-free code ({@code +1} 800, 833, 844, 855, 866, 877, 888),
   * else a long code: give other countries' toll-free senders as {@link Originator#tollFree} where the kind matters
   * (the default per-number throttle rate). Meant for short-lived processes, such as AWS Lambda functions, whose
   * numbers come from systems that already write E.164.
   */
  CALLING_CODE_LENGTH
}
