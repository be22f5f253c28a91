package dev.smsgateway.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where messages held for quiet hours wait: next to the message records (the same database, or the same in-memory
 * store's life), so that a restart finds them.
 *
 * <p>Release is lease-based, so a crash between taking a message and sending it loses nothing: {@link #takeDue}
 * claims what it returns for a lease (atomically per message: two gateways on one store never hold the same claim at
 * once) and {@link #remove} deletes a message once its send's outcome is known. A message whose lease passed without
 * a remove (its taker crashed) is due again.
 *
 * <p>Implementations are thread-safe.
 */
public interface HeldMessageStore {

  /** Stores a held message; returns once it is stored. */
  void hold(HeldMessage message);

  /**
   * Claims and returns up to {@code limit} messages whose release time is not after {@code now}, ordered by release
   * time, then sequence. Nothing is deleted: each returned message is due again only at {@code now + lease} (unless
   * {@link #remove}d before), and the claim is conditional on what was read, so of several callers racing for a
   * message exactly one gets it. The returned messages carry the release time they had before the claim.
   */
  List<HeldMessage> takeDue(Instant now, int limit, Duration lease);

  /** Deletes the held message {@code messageId}; does nothing if there is none (idempotent). */
  void remove(String messageId);

  /** Every held message, in release order (for operators and tests). */
  List<HeldMessage> all();
}
