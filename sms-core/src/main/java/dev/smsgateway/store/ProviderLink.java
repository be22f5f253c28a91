package dev.smsgateway.store;

import java.util.Objects;

/**
 * Which of our messages, and which part of it, a provider message id belongs to.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId our id
 * @param part the 0-based part the provider id was returned for
 */
public record ProviderLink(String messageId, int part) {
  /** Checks the id. */
  public ProviderLink {
    Objects.requireNonNull(messageId, "messageId == null");
  }
}
