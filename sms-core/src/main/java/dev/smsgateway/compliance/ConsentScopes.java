package dev.smsgateway.compliance;

import dev.smsgateway.Originator;
import java.util.Objects;

/**
 * The scope keys consent records are written under: one business number, one brand, or every sender.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConsentScopes {

  /** Every business number. */
  public static final String GLOBAL = "*";

  private ConsentScopes() {}

  /** The scope of one business number. */
  public static String number(Originator business) {
    return "number:" + Objects.requireNonNull(business, "business == null").key();
  }

  /** The scope of a brand (a group of business numbers configured on the {@link Compliance} engine). */
  public static String brand(String brand) {
    Objects.requireNonNull(brand, "brand == null");
    if (brand.isBlank()) {
      throw new IllegalArgumentException("brand is blank");
    }
    return "brand:" + brand.strip();
  }
}
