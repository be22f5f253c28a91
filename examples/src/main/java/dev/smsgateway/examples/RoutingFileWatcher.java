package dev.smsgateway.examples;

import dev.smsgateway.SmsException;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.RoutingConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads a routing configuration file when its content changes: every {@code period} it reads the file and, when the
 * bytes differ from the last ones it saw, loads it and hands it to {@link ConversationService#reconfigure}. A file that
 * does not parse, or a configuration the service refuses, leaves the configuration in force, and the transcript says
 * why. Polling the content (rather than a {@code WatchService}) also sees edits made through editors that replace
 * the file, and on file systems that send no events.
 *
 * <p>Thread-safe.
 */
final class RoutingFileWatcher implements AutoCloseable {

  private final Path file;
  private final ConversationService conversations;
  private final Transcript transcript;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "routing-file-watcher");
    t.setDaemon(true);
    return t;
  });
  private byte[] seen;
  private int attempts;

  RoutingFileWatcher(Path file, ConversationService conversations, Transcript transcript, Duration period)
      throws IOException {
    this.file = file;
    this.conversations = conversations;
    this.transcript = transcript;
    this.seen = Files.readAllBytes(file);
    poller.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reloads the file if its content changed; returns whether the new configuration is now in force. */
  synchronized boolean check() {
    byte[] now;
    try {
      now = Files.readAllBytes(file);
    } catch (IOException e) {
      transcript.say("RELOAD " + file + " cannot be read (" + e.getMessage() + "); the configuration in force stays");
      return false;
    }
    if (Arrays.equals(now, seen)) {
      return false;
    }
    seen = now;
    attempts++;
    notifyAll();
    try {
      RoutingConfiguration next = RoutingConfiguration.load(file);
      conversations.reconfigure(next);
      transcript.say("RELOAD " + file + ": " + next.mappings().size() + " mapping(s) now in force");
      return true;
    } catch (SmsException | UncheckedIOException e) {
      transcript.say("RELOAD " + file + " refused, the configuration in force stays: " + e.getMessage());
      return false;
    }
  }

  /** Waits until the file has changed {@code count} times since the watcher started (deadline: {@code timeout}). */
  synchronized boolean awaitChanges(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (attempts < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
