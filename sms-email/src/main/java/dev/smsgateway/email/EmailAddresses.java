package dev.smsgateway.email;

import java.util.Locale;

/**
 * Email address helpers: the comparable form, and the masked form for logs ({@code a***@example.com}), so that
 * addresses never reach a log in clear.
 *
 * <p>Thread-safe (stateless).
 */
final class EmailAddresses {

  private EmailAddresses() {}

  /** Lower-cased and stripped; addresses are compared in this form. */
  static String normalize(String address) {
    return address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
  }

  /** The first character of the local part and the domain: {@code a***@example.com}. */
  static String mask(String address) {
    if (address == null || address.isBlank()) {
      return "<none>";
    }
    String a = address.strip();
    int at = a.lastIndexOf('@');
    if (at <= 0) {
      return "***";
    }
    return a.charAt(0) + "***" + a.substring(at);
  }

  /** The domain of an address, or {@code fallback}. */
  static String domain(String address, String fallback) {
    int at = address == null ? -1 : address.lastIndexOf('@');
    return at < 0 || at == address.length() - 1 ? fallback : address.substring(at + 1).strip();
  }
}
