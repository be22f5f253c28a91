package dev.smsgateway;

/**
 * Counts the sends a gateway accepted and has not finished, keeps the JVM running while there are any, and lets
 * {@link SmsGateway#close()} wait for them to end. Every thread the library starts is a daemon (an idle gateway must
 * never keep an application from exiting), so without this a program that sends and returns from {@code main} would
 * exit with the message still queued, unreported. While at least one send is pending, one non-daemon thread
 * ({@code sms-gateway-pending-sends}) waits for the count to reach zero, then ends; the next send starts another.
 *
 * <p>Thread-safe.
 */
final class PendingSends {

  private final String threadName;
  private int pending;
  private Thread keeper;

  PendingSends(String threadName) {
    this.threadName = threadName;
  }

  /** One more send in progress. */
  synchronized void add() {
    pending++;
    if (keeper == null) {
      Thread t = new Thread(this::hold, threadName);
      t.setDaemon(false);
      keeper = t;
      t.start();
    }
  }

  /** One send ended (sent or failed). */
  synchronized void remove() {
    if (pending > 0) {
      pending--;
      notifyAll();
    }
  }

  /** Sends in progress now. */
  synchronized int count() {
    return pending;
  }

  /** Waits until a send ends or {@code timeoutNanos} passed, whichever comes first. */
  synchronized void awaitEnd(long timeoutNanos) throws InterruptedException {
    if (pending > 0 && timeoutNanos > 0) {
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, timeoutNanos);
    }
  }

  private synchronized void hold() {
    try {
      while (pending > 0) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      keeper = null;
    }
  }
}
