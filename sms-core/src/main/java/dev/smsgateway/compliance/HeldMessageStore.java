package dev.smsgateway.compliance;

import java.time.Instant;
import java.util.List;

/**
 * Where messages held for quiet hours wait: next to the message records (the same database, or the same in-memory
 * store's life), so that a restart finds them.
 *
 * <p>{@link #takeDue} removes what it returns, atomically per message: two gateways on one store never both take a
 * message.
 *
 * <p>Implementations are thread-safe.
 */
public interface HeldMessageStore {

  /** Stores a held message; returns once it is stored. */
  void hold(HeldMessage message);

  /**
   * Removes and returns up to {@code limit} messages whose {@link HeldMessage#releaseAt()} is not after {@code now},
   * ordered by release time, then sequence.
   */
  List<HeldMessage> takeDue(Instant now, int limit);

  /** Every held message, in release order (for operators and tests). */
  List<HeldMessage> all();
}
