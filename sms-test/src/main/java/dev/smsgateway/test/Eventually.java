package dev.smsgateway.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for work another thread finishes (a provider's I/O thread, a store's commit, an events bus): polls
 * a condition or an assertion every 10 ms until it holds or a deadline passes, then fails naming what was awaited.
 * A deadline, never a fixed sleep, so a fast run is not slowed and a slow one is not flaky.
 */
public final class Eventually {

  private static final long POLL_MILLIS = 10;

  private Eventually() {}

  /**
   * Returns once {@code condition} is true.
   *
   * @throws AssertionError if it is still false after {@code timeout}; its message names {@code what}
   */
  public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * Returns once {@code assertion} passes.
   *
   * @throws AssertionError its last failure, if it still fails after {@code timeout}
   */
  public static void assertThat(Duration timeout, Runnable assertion) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(POLL_MILLIS);
      }
    }
  }
}
