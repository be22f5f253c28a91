package dev.smsgateway.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@link HeldMessageStore} in memory: held messages are lost with the process (use the JDBC or DynamoDB store to keep
 * them across restarts). Share one instance between gateways of one process the way a database would be shared.
 *
 * <p>Thread-safe.
 */
public final class InMemoryHeldMessageStore implements HeldMessageStore {

  static final Comparator<HeldMessage> RELEASE_ORDER = Comparator.comparing(HeldMessage::releaseAt)
      .thenComparingLong(HeldMessage::sequence).thenComparing(HeldMessage::messageId);

  private final TreeSet<HeldMessage> held = new TreeSet<>(RELEASE_ORDER);

  @Override
  public synchronized void hold(HeldMessage message) {
    Objects.requireNonNull(message, "message == null");
    held.removeIf(h -> h.messageId().equals(message.messageId()));
    held.add(message);
  }

  @Override
  public synchronized List<HeldMessage> takeDue(Instant now, int limit, Duration lease) {
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(lease, "lease == null");
    List<HeldMessage> due = new ArrayList<>();
    while (!held.isEmpty() && due.size() < limit && !held.first().releaseAt().isAfter(now)) {
      due.add(held.pollFirst());
    }
    Instant until = now.plus(lease);
    for (HeldMessage h : due) { // claimed: due again when the lease passes, unless removed before
      held.add(new HeldMessage(h.messageId(), h.to(), h.fromKey(), h.body(), h.provider(), h.purpose(),
          h.deliveryReport(), h.mediaUrls(), h.attributes(), until, h.sequence()));
    }
    return due;
  }

  @Override
  public synchronized void remove(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    held.removeIf(h -> h.messageId().equals(messageId));
  }

  @Override
  public synchronized List<HeldMessage> all() {
    return List.copyOf(held);
  }

  @Override
  public synchronized String toString() {
    return "InMemoryHeldMessageStore{held=" + held.size() + "}";
  }
}
