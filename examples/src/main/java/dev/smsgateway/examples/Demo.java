package dev.smsgateway.examples;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundSms;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.compliance.Compliance;
import dev.smsgateway.compliance.ConsentMethod;
import dev.smsgateway.compliance.ConsentScopes;
import dev.smsgateway.compliance.OptOutScope;
import dev.smsgateway.compliance.Purpose;
import dev.smsgateway.compliance.QuietHours;
import dev.smsgateway.compliance.RecipientTimeZones;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.QueueStatus;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.jdbc.JdbcStores;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The demo: an embedded SMSC, an {@link SmppSmsProvider} bound to it, the routing engine on H2 file stores, two agents
 * and a skill queue, showing agent-originated conversations whose replies come back to the originating agent.
 * Prints a transcript with timestamps and masked numbers, then a summary; exits 0 when every step had the expected
 * outcome, 1 otherwise.
 *
 * <p>Options: {@code --data DIR} (default {@code data/demo}) where the H2 stores live between runs;
 * {@code --reset} deletes that folder first.
 *
 * <p>Not thread-safe (a program).
 */
final class Demo {

  static final String BUSINESS = "+14155550100";
  static final String DANA = "+14155550123";
  static final String LEE = "+14155550177";
  static final String SAM = "+14155550142";
  /** A customer in Honolulu: quiet hours hold a marketing text sent at night there. */
  static final String KAI = "+18085550142";
  private static final ZoneId HONOLULU = ZoneId.of("Pacific/Honolulu");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
  static final String IDLE_MESSAGE = "We haven't heard from you in a while, so we closed this chat. Text us any time.";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.of("UTC"));

  private final PrintStream out;
  private final FastForwardClock clock = new FastForwardClock(Clock.systemUTC());
  private final EventLog events = new EventLog();
  private final Map<String, String> outcomes = new LinkedHashMap<>();
  private int failures;

  private Demo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo; returns the process exit code. */
  static int run(String[] args, PrintStream out) {
    Path data = Path.of("data", "demo");
    boolean reset = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reset" -> reset = true;
        case "--data" -> {
          if (i + 1 >= args.length) {
            out.println("--data needs a folder");
            return 2;
          }
          data = Path.of(args[++i]);
        }
        default -> {
          out.println("unknown option " + args[i] + "; options: --data DIR, --reset");
          return 2;
        }
      }
    }
    try {
      return new Demo(out).play(data, reset);
    } catch (Exception e) {
      out.println("demo failed: " + e);
      e.printStackTrace(out);
      return 1;
    }
  }

  private int play(Path data, boolean reset) throws Exception {
    long started = System.nanoTime();
    if (reset) {
      deleteRecursively(data);
    }
    boolean reused = Files.isDirectory(data);
    Files.createDirectories(data);
    out.println("sms-gateway demo: an agent texts a customer, and the reply comes back to that agent");
    out.println("state: H2 files in " + data.toAbsolutePath() + (reused ? " (reused from an earlier run)" : " (new)"));
    out.println();

    RoutingConfiguration configuration = RoutingConfiguration.builder()
        .addMapping(Mapping.builder("support")
            .description("ACME customer support")
            .provider("smsc")
            .defaultCountry("US")
            .originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder()
                .idleTimeout(Duration.ofMinutes(2))
                .idleTimeoutMessage(IDLE_MESSAGE)
                .maxChatsMessage("All our agents are busy; we'll be with you shortly.")
                .endedMessage("Your agent closed this chat. Reply any time and it comes back to them."))
            .addNumber(n -> n.number(BUSINESS).displayName("ACME Support").queue("support")))
        .build();

    try (SmscSimulator smsc = SmscSimulator.builder().credentials("demo", "demopass")
            .autoDeliveryReceipts(true).build().start();
        JdbcStores stores = JdbcStores.builder().h2File(data).clock(clock).build()) {
      SmppSmsProvider smpp = SmppSmsProvider.builder().name("smsc")
          .host(smsc.host()).port(smsc.port()).systemId("demo").password("demopass")
          .defaultRegion("US")
          .build();
      // Compliance: a marketing text needs consent and is held outside 08:00-21:00 in the recipient's time zone.
      // The demo keeps US opt-outs global (step 4 shows the opt-out store); see docs/compliance.md for the scopes.
      Compliance compliance = Compliance.builder()
          .consentStore(stores.consentStore())
          .heldMessageStore(stores.heldMessageStore())
          .auditLog(stores.auditLog())
          .conversationStore(stores.conversationStore())
          .clock(clock)
          .optOutScope("US", OptOutScope.GLOBAL)
          .recipientTimeZones(RecipientTimeZones.libphonenumber()
              .orElse(RecipientTimeZones.prefixes(Map.of("+1808", HONOLULU))))
          .defaultZone(ZoneId.of("America/Los_Angeles"))
          .quietHours(BUSINESS, QuietHours.builder().purposes(Purpose.MARKETING).build())
          .build();
      ConversationService conversations = ConversationService.builder()
          .compliance(compliance)
          .configuration(configuration)
          .originatorStore(stores.originatorStore())
          .optOutStore(stores.optOutStore())
          .conversationStore(stores.conversationStore())
          .clock(clock)
          .listener(events)
          .sweepPeriod(Duration.ofSeconds(1)) // the service sweeps by itself; the demo's 2-minute timeout fires at once
          .build();
      try (conversations; SmsGateway gateway = SmsGateway.builder()
          .provider(smpp)
          .defaultRegion("US")
          .clock(clock)
          .optOutStore(stores.optOutStore())
          .messageStore(stores.messageStore())
          .inboundHandler(conversations)
          .listener(conversations.gatewayListener())
          .listener(events)
          .compliance(compliance)
          .build()) {
        conversations.bind(gateway); // checks that the mapping's provider 'smsc' is the gateway's
        gateway.start();
        if (!smsc.awaitBound(1, STEP_TIMEOUT)) {
          throw new TimeoutException("the SMPP provider did not bind to the embedded SMSC");
        }
        say("SMSC on " + smsc.host() + ":" + smsc.port() + ", provider 'smsc' bound; agents alice and bob serve queue 'support'");
        conversations.registerAgent("alice", 2, Set.of("support"));
        conversations.registerAgent("bob", 2, Set.of("support"));
        conversations.setPresence("alice", Presence.AVAILABLE);
        conversations.setPresence("bob", Presence.AVAILABLE);
        String run = Long.toString(clock.millis(), 36);

        if (stores.optOutStore().isOptedOut(PhoneNumber.of(LEE))) {
          step("Lee opted out in an earlier run (kept in H2); Lee texts START to opt back in");
          smsc.deliverMo(LEE, BUSINESS, "START");
          expect("Lee opted back in", () -> !stores.optOutStore().isOptedOut(PhoneNumber.of(LEE)));
        }

        step("1. Alice and Bob each text a different customer from the same business number");
        OutboundConversation alice = conversations.startOutbound("alice", BUSINESS, "(415) 555-0123",
            "Hi Dana, this is Alice from ACME. Your replacement router ships today. Any questions?", "demo-" + run + "-a")
            .get(10, TimeUnit.SECONDS);
        OutboundConversation bob = conversations.startOutbound("bob", BUSINESS, "415.555.0177",
            "Hello Lee, Bob here from ACME support. Your refund was approved; it takes 3-5 days.", "demo-" + run + "-b")
            .get(10, TimeUnit.SECONDS);
        await("delivery reports for both", e -> e.kind() == Kind.DLR && e.detail().equals("DELIVERED")
            && (e.conversationId().equals(alice.messageId()) || e.conversationId().equals(bob.messageId())), 2);
        say("Bob closes his chat after sending; Alice keeps hers open");
        conversations.end(bob.conversationId(), Conversation.EndReason.AGENT);

        step("2. Both customers reply: Dana with an emoji (UCS-2), Lee with 300 characters (a 2-part MO)");
        smsc.deliverMo(DANA, BUSINESS, "Thanks Alice! 👍 Will it need a new password?");
        Event danaReply = await("Dana's reply reaches Alice", e -> e.kind() == Kind.MESSAGE && e.customer().equals(DANA), 1);
        record("Dana's reply -> alice", "alice".equals(danaReply.agent()), "went to " + danaReply.agent());
        String longText = ("Thank you Bob. I was charged twice in October, once on the 3rd and once on the 5th, and the "
            + "refund only covers one of them. Could you check the second charge too? My order number is 55-1042. "
            + "I can send a copy of the bank statement if that helps. Also, is the 3-5 days counted in business days "
            + "or calendar days?").substring(0, 300);
        smsc.deliverMo(LEE, BUSINESS, longText);
        Event leeAssigned = await("Lee's reply reaches Bob", e -> e.kind() == Kind.ASSIGNED && e.customer().equals(LEE), 1);
        record("Lee's reply -> bob (originator record, whisper)", "bob".equals(leeAssigned.agent())
            && leeAssigned.whisper() != null, "went to " + leeAssigned.agent());
        conversations.accept("bob", leeAssigned.conversationId());
        Event leeMessage = await("Lee's message", e -> e.kind() == Kind.MESSAGE && e.customer().equals(LEE), 1);
        record("Lee's 300 characters arrive whole", leeMessage.detail().length() == 300,
            leeMessage.detail().length() + " characters");

        step("3. A new customer texts in while both agents are away: Sam waits in the queue until Bob is back");
        conversations.setPresence("alice", Presence.AWAY);
        conversations.setPresence("bob", Presence.AWAY);
        smsc.deliverMo(SAM, BUSINESS, "Hi, are you open on Sunday?");
        Event samQueued = await("Sam waits in the queue", e -> e.kind() == Kind.QUEUED && e.customer().equals(SAM), 1);
        QueueStatus queue = conversations.monitor().queue("support");
        say("QUEUE  support: " + queue.waiting() + " waiting, " + queue.agentsAvailable() + " agent(s) available; "
            + "agents " + conversations.monitor().agents().stream().map(a -> a.agentId() + " " + a.presence() + " "
            + a.load() + "/" + a.capacity()).toList());
        record("Sam waits in queue 'support' at position 1", "1/1".equals(samQueued.detail()) && queue.waiting() == 1,
            "position/depth " + samQueued.detail());
        say("Bob is back");
        conversations.setPresence("bob", Presence.AVAILABLE);
        Event samAssigned = await("Sam is assigned", e -> e.kind() == Kind.ASSIGNED && e.customer().equals(SAM), 1);
        record("Sam assigned from the queue to bob", "bob".equals(samAssigned.agent()),
            "assigned to " + samAssigned.agent());
        conversations.setPresence("alice", Presence.AVAILABLE);

        step("4. Lee texts STOP; a later send to Lee is refused");
        smsc.deliverMo(LEE, BUSINESS, "Stop");
        expect("Lee's opt-out is stored", () -> stores.optOutStore().isOptedOut(PhoneNumber.of(LEE)));
        Event confirmation = await("one opt-out confirmation reaches Lee", e -> e.kind() == Kind.DLR
            && e.customer().equals(LEE) && e.detail().equals("DELIVERED"), 1);
        record("one STOP confirmation sent to Lee", confirmation.kind() == Kind.DLR, "delivered");
        try {
          conversations.startOutbound("bob", BUSINESS, LEE, "One more thing about your refund...", "demo-" + run + "-c")
              .get(10, TimeUnit.SECONDS);
          record("send to Lee after STOP refused", false, "it was sent");
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
          say("REFUSED bob -> " + PhoneNumbers.mask(LEE) + ": " + cause.getClass().getSimpleName() + ": "
              + cause.getMessage());
          record("send to Lee after STOP refused", cause instanceof dev.smsgateway.SmsOptedOutException,
              cause.getClass().getSimpleName());
        }

        step("5. Nobody writes for 3 minutes (the demo fast-forwards its clock): the service's own sweeps end idle"
            + " conversations");
        clock.fastForward(Duration.ofMinutes(3));
        Event danaEnded = await("Dana's conversation times out", e -> e.kind() == Kind.ENDED && e.customer().equals(DANA)
            && e.detail().equals("IDLE_TIMEOUT"), 1);
        record("idle timeout ends open conversations", danaEnded.kind() == Kind.ENDED, "without a sweep() call");
        await("the idle-timeout messages are delivered", e -> e.kind() == Kind.DLR
            && (e.customer().equals(DANA) || e.customer().equals(SAM)) && e.detail().equals("DELIVERED"), 2);
        // A receipt can overtake the send's response: also wait for both sends to be reported, so that the
        // summary below is complete and not interleaved with late lines.
        await("the idle-timeout messages are sent", e -> e.kind() == Kind.SENT
            && (e.customer().equals(DANA) || e.customer().equals(SAM)), 2);

        step("6. Quiet hours: a marketing text to Kai in Honolulu, sent at 03:00 his time, waits until 08:00 there"
            + " (the demo fast-forwards its clock)");
        ZonedDateTime honolulu = clock.instant().atZone(HONOLULU);
        ZonedDateTime threeAm = honolulu.toLocalDate().atTime(3, 0).atZone(HONOLULU);
        clock.fastForward(Duration.between(honolulu, threeAm.isAfter(honolulu) ? threeAm : threeAm.plusDays(1)));
        compliance.grant(PhoneNumber.of(KAI), ConsentScopes.GLOBAL,
            Purpose.MARKETING, ConsentMethod.WEB_FORM, "signup-form-0042");
        say("CONSENT " + PhoneNumbers.mask(KAI) + " agreed to marketing texts (web form signup-form-0042)");
        SendReceipt held = gateway.send(OutboundSms.builder().to(KAI).from(BUSINESS).purpose(Purpose.MARKETING)
            .body("Spring sale at ACME: 20% off all routers this weekend. Reply STOP to opt out.").build())
            .get(10, TimeUnit.SECONDS);
        String heldUntil = held.details().get("heldUntil");
        say("HELD   " + held.messageId() + " -> " + PhoneNumbers.mask(KAI) + " until " + heldUntil
            + " (08:00 in Honolulu)");
        boolean heldRight = heldUntil != null
            && Instant.parse(heldUntil).atZone(HONOLULU).toLocalTime().equals(LocalTime.of(8, 0));
        record("marketing text to Kai held until 08:00 Honolulu time", heldRight, "held until " + heldUntil);
        if (heldUntil != null) {
          clock.fastForward(Duration.between(clock.instant(), Instant.parse(heldUntil)));
          say("08:00 in Honolulu: the gateway releases what it held (it checks every 30 s, and at start)");
          gateway.releaseHeldMessages();
          Event kai = await("Kai's text is delivered", e -> e.kind() == Kind.DLR && e.customer().equals(KAI)
              && e.detail().equals("DELIVERED"), 1);
          record("the held text goes out when the window opens", kai.kind() == Kind.DLR, "delivered");
        }
        // the audit listener runs after the demo's own on the SMPP thread: wait for its last event
        expect("Kai's story is in the audit trail", () -> stores.auditLog().forCustomer(PhoneNumber.of(KAI)).stream()
            .anyMatch(e -> e.type() == dev.smsgateway.compliance.AuditEvent.Type.DELIVERY_REPORT));
        long audited = stores.auditLog().forCustomer(PhoneNumber.of(KAI)).size();
        say("AUDIT  " + audited + " events for " + PhoneNumbers.mask(KAI) + ": "
            + stores.auditLog().forCustomer(PhoneNumber.of(KAI)).stream().map(e -> e.type().name()).toList());

        summary(stores, smsc, started);
      }
    }
    return failures == 0 ? 0 : 1;
  }

  // ------------------------------------------------------------------------------------------------ output

  private void step(String title) {
    events.mark();
    synchronized (out) {
      out.println();
      out.println("== " + title);
    }
  }

  private void say(String line) {
    synchronized (out) {
      out.println("[" + TIME.format(clock.instant()) + "] " + line);
    }
  }

  private void record(String what, boolean ok, String detail) {
    outcomes.put(what, (ok ? "ok    " : "FAILED") + "  " + detail);
    if (!ok) {
      failures++;
      say("UNEXPECTED: " + what + ": " + detail);
    }
  }

  private void expect(String what, java.util.function.BooleanSupplier condition) throws TimeoutException,
      InterruptedException {
    // The stores are written on the SMPP thread that handled the message; wait for it with a deadline.
    boolean ok = events.awaitCondition(condition, STEP_TIMEOUT);
    record(what, ok, ok ? "yes" : "not within " + STEP_TIMEOUT.toSeconds() + " s");
  }

  private Event await(String what, Predicate<Event> match, int count) throws InterruptedException {
    List<Event> found = events.await(match, count, STEP_TIMEOUT);
    if (found.size() < count) {
      record(what, false, "saw " + found.size() + " of " + count + " events within " + STEP_TIMEOUT.toSeconds() + " s");
      return found.isEmpty() ? new Event(Kind.NONE, clock.instant(), "", null, "", "", null) : found.get(0);
    }
    return found.get(0);
  }

  private void summary(JdbcStores stores, SmscSimulator smsc, long startedNanos) {
    out.println();
    out.println("== Summary");
    List<Event> all = events.snapshot();
    out.printf("%-48s %s%n", "check", "outcome");
    outcomes.forEach((what, outcome) -> out.printf("%-48s %s%n", what, outcome));
    out.println();
    out.printf("%-16s %-8s %-9s %-9s %-10s%n", "customer", "agent", "inbound", "outbound", "delivered");
    for (String customer : List.of(DANA, LEE, SAM, KAI)) {
      String agent = all.stream().filter(e -> e.kind() == Kind.ASSIGNED && e.customer().equals(customer))
          .map(Event::agent).reduce((a, b) -> b).orElse("-");
      long in = all.stream().filter(e -> e.kind() == Kind.MESSAGE && e.customer().equals(customer)).count();
      long sent = all.stream().filter(e -> e.kind() == Kind.SENT && e.customer().equals(customer)).count();
      long delivered = all.stream().filter(e -> e.kind() == Kind.DLR && e.customer().equals(customer)
          && e.detail().equals("DELIVERED")).count();
      out.printf("%-16s %-8s %-9d %-9d %-10d%n", PhoneNumbers.mask(customer), agent, in, sent, delivered);
    }
    out.println();
    out.printf("SMSC received %d submit_sm; %d checks, %d failed; %.1f s%n", smsc.accepted().size(), outcomes.size(),
        failures, (System.nanoTime() - startedNanos) / 1e9);
    out.println(failures == 0 ? "RESULT: every step behaved as expected" : "RESULT: " + failures + " step(s) failed");
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ events

  enum Kind { SENT, DLR, MESSAGE, ASSIGNED, QUEUED, ENDED, UNROUTED, NONE }

  record Event(Kind kind, Instant timestamp, String customer, String agent, String conversationId, String detail,
      String whisper) {}

  /** Collects what the library reports, prints it, and lets the demo wait for it. Thread-safe. */
  private final class EventLog implements ConversationListener, GatewayListener {
    private final List<Event> events = new ArrayList<>();
    private int mark;

    /** Later awaits only look at events from now on. */
    synchronized void mark() {
      mark = events.size();
    }
    private final Map<String, String> customerByMessage = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> labelByMessage = new java.util.concurrent.ConcurrentHashMap<>();

    private synchronized void add(Event e) {
      events.add(e);
      notifyAll();
    }

    synchronized List<Event> snapshot() {
      return List.copyOf(events);
    }

    synchronized List<Event> await(Predicate<Event> match, int count, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        List<Event> found = events.subList(mark, events.size()).stream().filter(match).toList();
        long left = deadline - System.nanoTime();
        if (found.size() >= count || left <= 0) {
          return found;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized boolean awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // woken by any event; the stores are written before the listener hears of it
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      return true;
    }

    // --- gateway events: every outbound message (agent, system or keyword reply) and its delivery reports

    @Override
    public void onAccepted(String messageId, OutboundSms sms) {
      customerByMessage.put(messageId, sms.to());
      labelByMessage.put(messageId, label(sms));
    }

    /** What kind of message the service sent, from what it put on the message. */
    private static String label(OutboundSms sms) {
      String keyword = sms.attributes().get("keyword");
      if (sms.keywordReply()) {
        return "STOP".equals(keyword) ? "STOP confirmation" : "reply to keyword " + keyword;
      }
      String agent = sms.attributes().get("agentId");
      if (agent != null) {
        return "agent " + agent + "'s text";
      }
      return IDLE_MESSAGE.equals(sms.body()) ? "idle-timeout message" : "system message \"" + abbreviate(sms.body())
          + "\"";
    }

    @Override
    public void onSent(SendReceipt receipt) {
      String customer = customerByMessage.getOrDefault(receipt.messageId(), "?");
      say("SENT   " + receipt.messageId() + " -> " + PhoneNumbers.mask(customer) + " ["
          + labelByMessage.getOrDefault(receipt.messageId(), "?") + "] as " + receipt.parts()
          + " part(s), SMSC id " + receipt.providerMessageId());
      add(new Event(Kind.SENT, clock.instant(), customer, null, "", receipt.messageId(), null));
    }

    @Override
    public void onFailed(String messageId, SmsException error) {
      say("FAILED " + messageId + ": " + error.getMessage());
    }

    @Override
    public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
      String messageId = report.messageId().orElse("?");
      say("DLR    " + messageId + " " + report.rawStatus() + " -> " + merged);
      add(new Event(Kind.DLR, clock.instant(), customerByMessage.getOrDefault(messageId, "?"), null, messageId,
          merged.name(), null));
    }

    // --- conversation events

    @Override
    public void onAssigned(Conversation c, String agentId, String whisper) {
      say("ASSIGN " + c.customer() + " -> " + agentId + (whisper == null ? ""
          : "  (whisper: you wrote \"" + abbreviate(whisper) + "\")"));
      add(new Event(Kind.ASSIGNED, clock.instant(), c.customer().e164(), agentId, c.id(), c.target().key(), whisper));
    }

    @Override
    public void onQueued(Conversation c, int position, int depth) {
      say("QUEUED " + c.customer() + " waits in " + c.target().key() + ": position " + position + " of " + depth);
      add(new Event(Kind.QUEUED, clock.instant(), c.customer().e164(), null, c.id(), position + "/" + depth, null));
    }

    @Override
    public void onMessage(Conversation c, InboundSms sms) {
      String agent = c.target() instanceof dev.smsgateway.route.RouteTarget.Agent a ? a.agentId() : null;
      say("IN     " + sms.from() + " -> ACME Support: \"" + abbreviate(sms.body()) + "\" (" + sms.parts()
          + " part(s), " + sms.body().length() + " chars) => " + c.target().key());
      add(new Event(Kind.MESSAGE, clock.instant(), sms.from().e164(), agent, c.id(), sms.body(), null));
    }

    @Override
    public void onEnded(Conversation c) {
      say("ENDED  conversation with " + c.customer() + " (" + c.endReason() + ")");
      add(new Event(Kind.ENDED, clock.instant(), c.customer().e164(), null, c.id(), String.valueOf(c.endReason()), null));
    }

    @Override
    public void onUnrouted(InboundSms sms, String reason) {
      say("UNROUTED " + sms.from() + ": " + reason);
      add(new Event(Kind.UNROUTED, clock.instant(), sms.from().e164(), null, "", reason, null));
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }
}
