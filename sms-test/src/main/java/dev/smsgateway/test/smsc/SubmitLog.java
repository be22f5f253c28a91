package dev.smsgateway.test.smsc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What the simulator received: every submit in arrival order with its answer, and waiting for accepted ones.
 * Thread-safe.
 */
final class SubmitLog {

  // appended on every submit: a CopyOnWriteArrayList would make recording O(n) per message
  private final List<ReceivedSubmit> received = new ArrayList<>();
  private final Object monitor = new Object();

  void add(ReceivedSubmit r) {
    synchronized (received) {
      received.add(r);
    }
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  List<ReceivedSubmit> all() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  List<ReceivedSubmit> accepted() {
    return all().stream().filter(ReceivedSubmit::accepted).toList();
  }

  private int acceptedCount() {
    synchronized (received) {
      int n = 0;
      for (ReceivedSubmit r : received) {
        if (r.accepted()) {
          n++;
        }
      }
      return n;
    }
  }

  void clear() {
    synchronized (received) {
      received.clear();
    }
  }

  boolean awaitAccepted(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (acceptedCount() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return true;
    }
  }

  List<String> acceptedTexts() {
    Map<String, String[]> groups = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (ReceivedSubmit s : accepted()) {
      if (s.totalParts() <= 1) {
        out.add(s.text());
        continue;
      }
      String key = s.sourceAddr() + "|" + s.destAddr() + "|" + s.concatRef() + "|" + s.totalParts();
      String[] parts = groups.computeIfAbsent(key, k -> new String[s.totalParts()]);
      if (s.partNumber() >= 1 && s.partNumber() <= parts.length) {
        parts[s.partNumber() - 1] = s.text();
      }
      if (Arrays.stream(parts).allMatch(Objects::nonNull)) {
        out.add(String.join("", parts));
        groups.remove(key);
      }
    }
    return out;
  }
}
