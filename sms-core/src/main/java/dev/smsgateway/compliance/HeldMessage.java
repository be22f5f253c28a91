package dev.smsgateway.compliance;

import dev.smsgateway.PhoneNumber;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message accepted during quiet hours and held until the recipient's sending window opens. Held messages are
 * released in the order of {@link #releaseAt()}, then {@link #sequence()} (the order they were accepted in).
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId the gateway's message id (the send's receipt and message record carry it)
 * @param to the recipient
 * @param fromKey the sender's {@link dev.smsgateway.Originator#key()}; null for the provider's default sender
 * @param body the text, as planned (transliterated when asked)
 * @param provider the provider named by the send; null for the gateway's primary
 * @param purpose the send's purpose
 * @param deliveryReport whether a delivery report was asked for
 * @param mediaUrls MMS media
 * @param attributes the send's application tags
 * @param releaseAt when the window opens
 * @param sequence the acceptance order (increasing within a process, and across restarts on a monotonic clock)
 */
public record HeldMessage(String messageId, PhoneNumber to, String fromKey, String body, String provider,
    Purpose purpose, boolean deliveryReport, List<URI> mediaUrls, Map<String, String> attributes, Instant releaseAt,
    long sequence) {

  /** Checks required fields and copies the collections. */
  public HeldMessage {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(purpose, "purpose == null");
    Objects.requireNonNull(releaseAt, "releaseAt == null");
    mediaUrls = List.copyOf(mediaUrls);
    attributes = Map.copyOf(attributes);
  }

  @Override
  public String toString() {
    return "HeldMessage{" + messageId + " to " + to + " until " + releaseAt + "}";
  }
}
