package dev.smsgateway.routing;

import java.util.Objects;

/**
 * A custom keyword and its canned reply, for a mapping or one business number. Matched like the opt-out keywords:
 * the whole message, ignoring case, surrounding spaces and punctuation ({@link KeywordClassifier#normalize}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param keyword the keyword as configured
 * @param reply the text sent back
 */
public record KeywordRule(String keyword, String reply) {

  /** Checks presence; {@link Mapping.Builder#build()} checks the rest and names the field. */
  public KeywordRule {
    Objects.requireNonNull(keyword, "keyword == null");
    Objects.requireNonNull(reply, "reply == null");
  }

  /** The keyword in its matching form (upper case, no spaces or punctuation). */
  public String normalizedKeyword() {
    return KeywordClassifier.compact(keyword);
  }

  @Override
  public String toString() {
    return "KeywordRule{keyword=" + keyword + ", replyLength=" + reply.length() + "}";
  }
}
