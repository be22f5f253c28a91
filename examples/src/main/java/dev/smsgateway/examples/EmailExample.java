package dev.smsgateway.examples;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.email.EmailAgentResolver;
import dev.smsgateway.email.EmailMailboxes;
import dev.smsgateway.email.EmailOrigination;
import dev.smsgateway.email.ImapMailboxSource;
import dev.smsgateway.email.SmtpEmailSender;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.smsc.SmscSimulator;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * {@code email --loopback}: email-to-SMS end to end on 127.0.0.1. GreenMail stands in for the mail server (SMTP and
 * IMAP), the SMSC simulator for the carrier. An agent emails a business number's mailbox with the customer's number
 * as the subject; the IMAP source (IDLE) hands it to {@link EmailOrigination}, the text leaves over SMPP; the
 * customer's reply is emailed to the agent; the agent answers that email and the conversation continues; an address
 * that is not an agent's is refused with a reply.
 *
 * <p>Not thread-safe (a program's entry point).
 */
final class EmailExample {

  static final String BUSINESS = "+14155550100";
  static final String DANA = "+14155550123";
  static final String MAILBOX = "sms+support@gw.example.com";
  static final String ALICE = "alice@agents.example.com";
  static final String MALLORY = "mallory@elsewhere.example";
  private static final Session SESSION = Session.getInstance(new Properties());

  private final Clock clock = Clock.systemUTC();
  private final Transcript transcript;

  private EmailExample(PrintStream out) {
    this.transcript = new Transcript(out, clock);
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out) {
    if (!Arrays.asList(args).equals(java.util.List.of("--loopback"))) {
      out.println("email runs against loopback stand-ins only: add --loopback. For Amazon SES or a real mailbox, see"
          + " docs/sms-email.md and docs/examples.md (\"email\").");
      return 2;
    }
    try {
      return new EmailExample(out).loopback();
    } catch (Exception e) {
      out.println("email failed: " + e);
      e.printStackTrace(out);
      return 1;
    }
  }

  static RoutingConfiguration configuration() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("support").provider("smsc").defaultCountry("US")
            .originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder().suppressSystemMessages(true))
            .addNumber(n -> n.number(BUSINESS).displayName("ACME Support").queue("support")))
        .build();
  }

  private int loopback() throws Exception {
    long started = System.nanoTime();
    transcript.title("sms-gateway example email (--loopback): email to SMS and back; GreenMail and the SMSC on"
        + " 127.0.0.1");
    String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(4)); // 8 characters: the SMPP limit
    GreenMail mail = new GreenMail(new ServerSetup[] {
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort(),
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()});
    mail.start();
    mail.setUser(MAILBOX, "support", secret);
    ExecutorService mailer = Executors.newSingleThreadExecutor(r -> new Thread(r, "reply-mailer"));
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("email", secret).build().start()) {
      SmppSmsProvider smpp = SmppSmsProvider.builder().name("smsc").host(smsc.host()).port(smsc.port())
          .systemId("email").password(secret).defaultRegion("US").build();
      InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
      InMemoryMessageStore messages = new InMemoryMessageStore(clock);
      ConversationService conversations = ConversationService.builder().configuration(configuration())
          .originatorStore(new InMemoryOriginatorStore(clock)).optOutStore(optOuts)
          .conversationStore(new InMemoryConversationStore(clock)).clock(clock).listener(transcript).build();
      SmtpEmailSender smtp = SmtpEmailSender.builder().host("127.0.0.1").port(mail.getSmtp().getPort())
          .tls(SmtpEmailSender.Tls.NONE).build();
      EmailOrigination email = EmailOrigination.builder().conversations(conversations)
          .mailboxes(EmailMailboxes.builder().mailbox(MAILBOX, BUSINESS).build())
          .agents(EmailAgentResolver.allowList(Map.of(ALICE, "alice")))
          .requiredChecks(Set.of()) // GreenMail writes no Authentication-Results; see docs/sms-email.md
          .replySender(smtp).messageStore(messages).clock(clock).build();
      conversations.addListener(email.replyListener(mailer));
      try (SmsGateway gateway = SmsGateway.builder().provider(smpp).defaultRegion("US").clock(clock)
          .optOutStore(optOuts).messageStore(messages).inboundHandler(conversations)
          .listener(conversations.gatewayListener()).listener(transcript).build();
          ImapMailboxSource imap = ImapMailboxSource.builder().origination(email).host("127.0.0.1")
              .port(mail.getImap().getPort()).tls(ImapMailboxSource.Tls.NONE).credentials("support", secret)
              .pollInterval(Duration.ofMillis(500)).build()) {
        conversations.bind(gateway::send);
        gateway.start();
        conversations.registerAgent("alice", 3, Set.of("support"));
        conversations.setPresence("alice", Presence.AVAILABLE);
        if (!smsc.awaitBound(1, Transcript.STEP_TIMEOUT)) {
          throw new TimeoutException("the SMPP provider did not bind to the embedded SMSC");
        }
        imap.start();
        transcript.say("SMTP " + mail.getSmtp().getPort() + ", IMAP " + mail.getImap().getPort() + " (mailbox "
            + MAILBOX + "), SMSC " + smsc.host() + ":" + smsc.port());

        transcript.step("1. Alice emails the support mailbox: Subject = Dana's number, body = the text");
        String aliceId = smtp.send(message(ALICE, MAILBOX, "(415) 555-0123", "Hi Dana, your router ships today.\n\n"
            + "-- \nAlice Agent\nACME Support", null));
        transcript.check("the IMAP source sent it over SMPP", smsc.awaitAccepted(1, Transcript.STEP_TIMEOUT),
            smsc.accepted().size() + " submit_sm");
        transcript.check("quotes and signature stripped", smsc.acceptedTexts().contains(
            "Hi Dana, your router ships today."), Transcript.abbreviate(String.join(" | ", smsc.acceptedTexts())));

        transcript.step("2. Dana replies by SMS: the reply is emailed to Alice, threaded on her email");
        smsc.deliverMo(DANA, BUSINESS, "Great, thanks! Can it come on Friday?");
        Optional<MimeMessage> toAlice = awaitMail(mail, ALICE, 1);
        transcript.check("Alice got the reply by email", toAlice.isPresent(), toAlice.isPresent()
            ? "subject: " + toAlice.get().getSubject().replace(DANA, PhoneNumbers.mask(DANA)) : "nothing in 10 s");
        if (toAlice.isEmpty()) {
          return transcript.finish(started);
        }
        transcript.check("threaded on Alice's email", ("<" + aliceId + ">").equals(
            toAlice.get().getHeader("In-Reply-To", null)), "In-Reply-To " + toAlice.get().getHeader("In-Reply-To",
            null));

        transcript.step("3. Alice answers that email: the conversation continues by SMS");
        String replyId = toAlice.get().getMessageID();
        smtp.send(message(ALICE, MAILBOX, "Re: " + toAlice.get().getSubject(), "Friday works, between 9 and 12.\n\n"
            + "On Mon, ACME Support <" + MAILBOX + "> wrote:\n> Great, thanks! Can it come on Friday?", replyId));
        transcript.check("her answer went out over SMPP", smsc.awaitAccepted(2, Transcript.STEP_TIMEOUT)
            && smsc.acceptedTexts().contains("Friday works, between 9 and 12."),
            Transcript.abbreviate(String.join(" | ", smsc.acceptedTexts())));

        transcript.step("4. An address that is not an agent's is refused, and told why");
        smtp.send(message(MALLORY, MAILBOX, DANA, "Click this link", null));
        Optional<MimeMessage> refusal = awaitMail(mail, MALLORY, 1);
        transcript.check("refusal answered", refusal.isPresent() && ((String) refusal.get().getContent())
            .contains("may not send"), refusal.isPresent() ? "Not sent: ... (may not send text messages)"
            : "nothing in 10 s");
        transcript.check("nothing else went out", smsc.accepted().size() == 2, smsc.accepted().size()
            + " submit_sm in all");
      }
    } finally {
      mailer.shutdownNow();
      mail.stop();
    }
    return transcript.finish(started);
  }

  private static MimeMessage message(String from, String to, String subject, String body, String inReplyTo)
      throws Exception {
    MimeMessage m = new MimeMessage(SESSION);
    m.setFrom(from);
    m.setRecipients(MimeMessage.RecipientType.TO, to);
    m.setSubject(subject, "UTF-8");
    m.setText(body, "UTF-8");
    if (inReplyTo != null) {
      m.setHeader("In-Reply-To", inReplyTo);
      m.setHeader("References", inReplyTo);
    }
    return m;
  }

  private static Optional<MimeMessage> awaitMail(GreenMail mail, String to, int count) throws Exception {
    long deadline = System.nanoTime() + Transcript.STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      MimeMessage[] found = Arrays.stream(mail.getReceivedMessages()).filter(m -> {
        try {
          return m.getRecipients(MimeMessage.RecipientType.TO)[0].toString().equals(to);
        } catch (Exception e) {
          return false;
        }
      }).toArray(MimeMessage[]::new);
      if (found.length >= count) {
        return Optional.of(found[count - 1]);
      }
      mail.waitForIncomingEmail(200, mail.getReceivedMessages().length + 1);
    }
    return Optional.empty();
  }
}
