package dev.smsgateway.smpp;

import java.time.Duration;

/**
 * Waits between reconnect attempts. Tests inject one that advances a virtual clock instead of sleeping.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
interface Sleeper {

  /** Real time: parks the thread; an interrupt ends the wait early. */
  Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));

  void sleep(Duration duration) throws InterruptedException;
}
