package dev.smsgateway.email;

import java.util.Locale;

/**
 * The outcome of one {@link AuthCheck}. SES reports {@code PASS}, {@code FAIL}, {@code GRAY} (SPF/DKIM/DMARC could
 * not decide, such as no policy published) and {@code PROCESSING_FAILED}; RFC 8601's results map onto these
 * ({@code pass}; {@code fail}, {@code softfail}; {@code none}, {@code neutral}, {@code policy}; {@code temperror},
 * {@code permerror}).
 *
 * <p>Immutable and thread-safe.
 */
public enum AuthVerdict {
  /** The check passed. */
  PASS,
  /** The check failed. */
  FAIL,
  /** The check could not decide. */
  GRAY,
  /** The check could not run. */
  PROCESSING_FAILED;

  /** Reads SES's status or an RFC 8601 result, case-insensitively; anything unknown is {@link #GRAY}. */
  public static AuthVerdict parse(String status) {
    String s = status == null ? "" : status.strip().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "pass" -> PASS;
      case "fail", "softfail", "hardfail" -> FAIL;
      case "processing_failed", "temperror", "permerror" -> PROCESSING_FAILED;
      default -> GRAY;
    };
  }
}
