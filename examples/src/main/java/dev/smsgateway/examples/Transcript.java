package dev.smsgateway.examples;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundSms;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.store.Conversation;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the provider examples print and wait for: a timestamped transcript with masked numbers, the gateway's and the
 * routing engine's events (which an example can wait for with a deadline, since they arrive on I/O threads), the
 * checks the example made and a closing {@code RESULT} line.
 *
 * <p>Thread-safe: events arrive on provider and web-server threads while the example's main thread waits.
 */
final class Transcript implements ConversationListener, GatewayListener {

  /** How long an example waits for one thing to happen over loopback before it calls the step failed. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.of("UTC"));

  enum Kind { SENT, FAILED, DLR, MESSAGE, ASSIGNED, ENDED, UNROUTED }

  /** One event; {@code customer} is E.164 (masked only when printed). */
  record Event(Kind kind, String customer, String agent, String conversationId, String detail) {}

  private final PrintStream out;
  private final Clock clock;
  private final List<Event> events = new ArrayList<>();
  private final Map<String, String> customerByMessage = new ConcurrentHashMap<>();
  private final Map<String, String> checks = new LinkedHashMap<>();
  private int failures;

  Transcript(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  // ------------------------------------------------------------------------------------------------ output

  void title(String line) {
    synchronized (out) {
      out.println(line);
    }
  }

  void step(String title) {
    synchronized (out) {
      out.println();
      out.println("== " + title);
    }
  }

  void say(String line) {
    synchronized (out) {
      out.println("[" + TIME.format(clock.instant()) + "] " + line);
    }
  }

  /** Records the outcome of one check; a failed check makes the example exit 1. */
  synchronized boolean check(String what, boolean ok, String detail) {
    checks.put(what, (ok ? "ok    " : "FAILED") + "  " + detail);
    if (!ok) {
      failures++;
      say("UNEXPECTED: " + what + ": " + detail);
    }
    return ok;
  }

  /** Prints the checks and the {@code RESULT} line; returns the exit code. */
  synchronized int finish(long startedNanos) {
    synchronized (out) {
      out.println();
      out.println("== Summary");
      out.printf("%-52s %s%n", "check", "outcome");
      checks.forEach((what, outcome) -> out.printf("%-52s %s%n", what, outcome));
      out.printf("%d checks, %d failed; %.1f s%n", checks.size(), failures, (System.nanoTime() - startedNanos) / 1e9);
      out.println(failures == 0 ? "RESULT: every step behaved as expected" : "RESULT: " + failures + " step(s) failed");
    }
    return failures == 0 ? 0 : 1;
  }

  // ------------------------------------------------------------------------------------------------ waiting

  /** Waits until an event matching {@code match} has arrived (including earlier ones), or the step timeout. */
  synchronized Optional<Event> await(Predicate<Event> match) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (true) {
      Optional<Event> found = events.stream().filter(match).findFirst();
      long left = deadline - System.nanoTime();
      if (found.isPresent() || left <= 0) {
        return found;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits until at least {@code count} events match {@code match}, or the step timeout; returns how many did. */
  synchronized long awaitCount(Predicate<Event> match, long count) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (true) {
      long found = events.stream().filter(match).count();
      long left = deadline - System.nanoTime();
      if (found >= count || left <= 0) {
        return found;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  private synchronized void add(Event e) {
    events.add(e);
    notifyAll();
  }

  // ------------------------------------------------------------------------------------------------ gateway events

  @Override
  public void onAccepted(String messageId, OutboundSms sms) {
    customerByMessage.put(messageId, sms.to());
  }

  @Override
  public void onSent(SendReceipt receipt) {
    String customer = customerByMessage.getOrDefault(receipt.messageId(), "?");
    say("SENT   " + receipt.messageId() + " -> " + PhoneNumbers.mask(customer) + " as " + receipt.parts()
        + " part(s), provider id " + receipt.providerMessageId());
    add(new Event(Kind.SENT, customer, null, "", receipt.messageId()));
  }

  @Override
  public void onFailed(String messageId, SmsException error) {
    say("FAILED " + messageId + ": " + error.getClass().getSimpleName() + ": " + error.getMessage());
    add(new Event(Kind.FAILED, customerByMessage.getOrDefault(messageId, "?"), null, "", messageId));
  }

  @Override
  public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
    String messageId = report.messageId().orElse("?");
    say("DLR    " + messageId + " " + report.rawStatus() + " -> " + merged);
    add(new Event(Kind.DLR, customerByMessage.getOrDefault(messageId, "?"), null, messageId, merged.name()));
  }

  // ------------------------------------------------------------------------------------------------ routing events

  @Override
  public void onAssigned(Conversation c, String agentId, String whisper) {
    say("ASSIGN " + c.customer() + " -> " + agentId + (whisper == null ? ""
        : "  (whisper: you wrote \"" + abbreviate(whisper) + "\")"));
    add(new Event(Kind.ASSIGNED, c.customer().e164(), agentId, c.id(), c.target().key()));
  }

  @Override
  public void onMessage(Conversation c, InboundSms sms) {
    String agent = c.target() instanceof RouteTarget.Agent a ? a.agentId() : null;
    say("IN     " + sms.from() + " -> " + sms.to() + ": \"" + abbreviate(sms.body()) + "\" => " + c.target().key());
    add(new Event(Kind.MESSAGE, sms.from().e164(), agent, c.id(), sms.body()));
  }

  @Override
  public void onEnded(Conversation c) {
    say("ENDED  conversation with " + c.customer() + " (" + c.endReason() + ")");
    add(new Event(Kind.ENDED, c.customer().e164(), null, c.id(), String.valueOf(c.endReason())));
  }

  @Override
  public void onUnrouted(InboundSms sms, String reason) {
    say("UNROUTED " + sms.from() + ": " + reason);
    add(new Event(Kind.UNROUTED, sms.from().e164(), null, "", reason));
  }

  static String abbreviate(String text) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }
}
