package dev.smsgateway;

import java.util.Objects;
import java.util.Set;

/**
 * What a provider can do, so that the gateway and the router can adapt.
 *
 * <p>Immutable and thread-safe.
 *
 * @param deliveryReports whether the provider reports delivery outcomes
 * @param media whether MMS media URLs are supported
 * @param answersOptOutKeywords whether the provider itself replies to STOP/HELP (Twilio and AWS do by default),
 *     so our own reply would be a second one
 * @param maxParts the most parts one message may have
 * @param originatorKinds the sender kinds the provider can send from
 */
public record ProviderCapabilities(boolean deliveryReports, boolean media, boolean answersOptOutKeywords, int maxParts,
    Set<Originator.Kind> originatorKinds) {

  /** Checks and copies. */
  public ProviderCapabilities {
    Objects.requireNonNull(originatorKinds, "originatorKinds == null");
    originatorKinds = Set.copyOf(originatorKinds);
    if (maxParts < 1) {
      throw new IllegalArgumentException("maxParts < 1: " + maxParts);
    }
  }
}
