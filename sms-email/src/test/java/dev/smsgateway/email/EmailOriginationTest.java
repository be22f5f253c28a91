package dev.smsgateway.email;

import static dev.smsgateway.email.EmailWorld.ALICE;
import static dev.smsgateway.email.EmailWorld.SUPPORT;
import static dev.smsgateway.email.EmailWorld.SUPPORT_BOX;
import static dev.smsgateway.email.EmailWorld.UK;
import static dev.smsgateway.email.EmailWorld.UK_BOX;
import static dev.smsgateway.email.EmailWorld.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.test.RecordingSmsProvider;
import jakarta.mail.internet.MimeMessage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("EmailOrigination")
class EmailOriginationTest {

  EmailWorld world;
  EmailOrigination origination;
  ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void setUp() {
    world = new EmailWorld();
    origination = world.origination().build();
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(EmailOrigination.class)).addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(EmailOrigination.class)).detachAppender(logs);
    world.close();
  }

  @Nested
  @DisplayName("sending")
  class Sending {

    @Test
    @DisplayName("the subject's number, the addressed mailbox's business number and the stripped body become the SMS")
    void sends() {
      EmailOutcome outcome = origination.handle(email(ALICE, SUPPORT_BOX, "(415) 555-0123",
          "Your router ships today.\n\n-- \nAlice\nACME Support"));

      assertThat(outcome).isInstanceOf(EmailOutcome.Sent.class);
      EmailOutcome.Sent sent = (EmailOutcome.Sent) outcome;
      assertThat(sent.agentId()).isEqualTo("alice");
      SubmitRequest sms = single();
      assertThat(sms.to().e164()).isEqualTo("+14155550123");
      assertThat(sms.from()).contains(Originator.longCode(PhoneNumber.of(SUPPORT)));
      assertThat(sms.body()).isEqualTo("Your router ships today.");
      Conversation c = world.conversations.conversation(sent.conversationId()).orElseThrow();
      assertThat(c.target()).isEqualTo(new RouteTarget.Agent("alice"));
      assertThat(world.originators.find(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of(SUPPORT))))
          .hasValueSatisfying(r -> assertThat(r.agentId()).isEqualTo("alice"));
    }

    @Test
    @DisplayName("the number is read in the mapping's country (a GB mailbox reads a national GB number)")
    void mappingCountry() {
      origination.handle(email(ALICE, UK_BOX, "Re: SMS to 07911 123456", "Your parcel is here."));
      SubmitRequest sms = single();
      assertThat(sms.to().e164()).isEqualTo("+447911123456");
      assertThat(sms.from()).contains(Originator.longCode(PhoneNumber.of(UK)));
    }

    @Test
    @DisplayName("a redelivered email (same Message-ID) sends once and is answered once")
    void redelivery() throws Exception {
      MimeMessage m = email(ALICE, SUPPORT_BOX, "+14155550123", "Once only");
      MimeMessage again = EmailWorld.parse(raw(m));

      EmailOutcome first = origination.handle(m);
      EmailOutcome second = origination.handle(again, EmailReceipt.of("imap"));

      assertThat(first).isInstanceOf(EmailOutcome.Sent.class);
      assertThat(second).isInstanceOf(EmailOutcome.Duplicate.class);
      assertThat(world.provider.submitted()).hasSize(1);
    }

    @Test
    @DisplayName("a redelivery after the mark was lost sends once: the send's idempotency key is the Message-ID's")
    void redeliveryAcrossInstances() throws Exception {
      MimeMessage m = email(ALICE, SUPPORT_BOX, "+14155550123", "Once only");
      EmailOrigination other = world.origination().build(); // another instance with its own (in-memory) marks

      EmailOutcome first = origination.handle(m);
      EmailOutcome second = other.handle(EmailWorld.parse(raw(m)));

      assertThat(second).isInstanceOf(EmailOutcome.Sent.class);
      assertThat(((EmailOutcome.Sent) second).conversationId())
          .isEqualTo(((EmailOutcome.Sent) first).conversationId());
      assertThat(world.provider.submitted()).hasSize(1);
    }

    @Test
    @DisplayName("a store failure is not taken (the source redelivers), and the redelivery sends once")
    void transientFailure() {
      MimeMessage m = email(ALICE, SUPPORT_BOX, "+14155550123", "After the outage");
      world.flakyOriginators.failNextPuts.set(1);

      assertThatThrownBy(() -> origination.handle(m)).isInstanceOf(EmailNotTakenException.class)
          .hasMessageNotContaining("+1415").hasMessageNotContaining(ALICE);
      assertThat(world.provider.submitted()).isEmpty();

      assertThat(origination.handle(m)).isInstanceOf(EmailOutcome.Sent.class);
      assertThat(world.provider.submitted()).hasSize(1);
      assertThat(world.received()).isEmpty();
    }

    @Test
    @DisplayName("the customer's reply reaches the agent who emailed")
    void replyRoutedToAgent() {
      origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "Hi"));
      world.events.clear();
      world.provider.deliverInbound(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of(SUPPORT)),
          "Thanks!");
      Conversation c = world.conversationStore.findOpen(PhoneNumber.of("+14155550123"),
          Originator.longCode(PhoneNumber.of(SUPPORT))).orElseThrow();
      assertThat(c.target()).isEqualTo(new RouteTarget.Agent("alice"));
    }
  }

  @Test
  @DisplayName("a customer reply that overtakes the send's completion is still emailed threaded on the agent's email")
  void replyOvertakesSend() throws Exception {
    world.provider.enqueue(RecordingSmsProvider.Outcome.pending());
    world.conversations.addListener(origination.replyListener(Runnable::run));
    MimeMessage agent = email(ALICE, SUPPORT_BOX, "+14155550123", "Quick question");
    var handling = java.util.concurrent.CompletableFuture.supplyAsync(() -> origination.handle(agent));
    ImapRoundTripTest.await(() -> world.provider.pendingCount() == 1);

    world.provider.deliverInbound(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of(SUPPORT)),
        "Answer before the submit response");
    assertThat(world.mail.waitForIncomingEmail(5_000, 1)).isTrue();
    assertThat(world.received()[0].getHeader("In-Reply-To", null)).isEqualTo(agent.getMessageID());

    world.provider.releasePending();
    assertThat(handling.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(EmailOutcome.Sent.class);
  }

  @Nested
  @DisplayName("refusals")
  class Refusals {

    @Test
    @DisplayName("a sender not on the allow-list is refused, answered, and logged with the address masked")
    void unknownSender() throws Exception {
      EmailOutcome outcome = origination.handle(email("mallory@evil.example", SUPPORT_BOX, "+14155550123", "hi"));
      assertRefused(outcome, Refusal.Reason.SENDER_NOT_ALLOWED, "mallory@evil.example", "may not send");
      assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(l -> l.contains("m***@evil.example") && l.contains("SENDER_NOT_ALLOWED"))
          .noneMatch(l -> l.contains("mallory@"));
    }

    @Test
    @DisplayName("mail to no mailbox is refused")
    void unknownMailbox() throws Exception {
      assertRefused(origination.handle(email(ALICE, "other@gw.example.com", "+14155550123", "hi")),
          Refusal.Reason.UNKNOWN_MAILBOX, ALICE, "not addressed to a text-message mailbox");
    }

    @Test
    @DisplayName("a subject that is no phone number is refused, saying how to write one")
    void badNumber() throws Exception {
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "Lunch on Friday?", "hi")),
          Refusal.Reason.BAD_NUMBER, ALICE, "+1 415 555 0123");
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "", "hi")), Refusal.Reason.BAD_NUMBER, ALICE,
          "it is empty");
    }

    @Test
    @DisplayName("a body that is only a quote and a signature is refused")
    void emptyText() throws Exception {
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123",
          "> earlier text\n\n-- \nAlice")), Refusal.Reason.EMPTY_TEXT, ALICE, "empty");
    }

    @Test
    @DisplayName("a text over the maximum is refused with both lengths")
    void tooLong() throws Exception {
      origination = world.origination().maxTextLength(20).build();
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "x".repeat(21))),
          Refusal.Reason.TEXT_TOO_LONG, ALICE, "21 characters; at most 20");
    }

    @Test
    @DisplayName("an opted-out customer is refused")
    void optedOut() throws Exception {
      world.optOuts.record(new OptOutRecord(PhoneNumber.of("+14155550123"), true, "STOP", "smsc",
          world.clock.instant()));
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "hi")), Refusal.Reason.OPTED_OUT,
          ALICE, "opted out");
    }

    @Test
    @DisplayName("a provider rejection is refused with the provider's code")
    void providerRejects() throws Exception {
      world.provider.enqueue(RecordingSmsProvider.Outcome.reject("21610"));
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "hi")), Refusal.Reason.SEND_FAILED,
          ALICE, "21610");
    }

    @Test
    @DisplayName("a provider timeout after the submit is answered as possibly delivered and never resent")
    void providerTimeout() throws Exception {
      world.provider.enqueue(RecordingSmsProvider.Outcome.timeout());
      MimeMessage m = email(ALICE, SUPPORT_BOX, "+14155550123", "hi");
      assertRefused(origination.handle(m), Refusal.Reason.DELIVERY_UNKNOWN, ALICE, "may have been delivered");
      assertThat(origination.handle(m)).isInstanceOf(EmailOutcome.Duplicate.class);
      assertThat(world.provider.submitted()).hasSize(1);
    }

    @Test
    @DisplayName("required verdicts: a missing or failed SPF/DKIM/DMARC verdict is refused; all PASS is sent")
    void verdicts() throws Exception {
      origination = world.origination().requiredChecks(Set.of(AuthCheck.SPF, AuthCheck.DKIM, AuthCheck.DMARC))
          .build();
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "a")),
          Refusal.Reason.NOT_AUTHENTICATED, ALICE, "no SPF verdict");
      world.mail.purgeEmailFromAllMailboxes();
      Map<AuthCheck, AuthVerdict> failing = new EnumMap<>(Map.of(AuthCheck.SPF, AuthVerdict.PASS, AuthCheck.DKIM,
          AuthVerdict.FAIL, AuthCheck.DMARC, AuthVerdict.PASS));
      assertRefused(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "b"),
          new EmailReceipt("ses", List.of(SUPPORT_BOX), failing)), Refusal.Reason.NOT_AUTHENTICATED, ALICE,
          "DKIM check did not pass (FAIL)");
      Map<AuthCheck, AuthVerdict> virus = new EnumMap<>(Map.of(AuthCheck.SPF, AuthVerdict.PASS, AuthCheck.DKIM,
          AuthVerdict.PASS, AuthCheck.DMARC, AuthVerdict.PASS, AuthCheck.VIRUS, AuthVerdict.FAIL));
      assertThat(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "c"),
          new EmailReceipt("ses", List.of(SUPPORT_BOX), virus))).isInstanceOf(EmailOutcome.Refused.class);
      Map<AuthCheck, AuthVerdict> passing = new EnumMap<>(Map.of(AuthCheck.SPF, AuthVerdict.PASS, AuthCheck.DKIM,
          AuthVerdict.PASS, AuthCheck.DMARC, AuthVerdict.PASS, AuthCheck.SPAM, AuthVerdict.PASS));
      assertThat(origination.handle(email(ALICE, SUPPORT_BOX, "+14155550123", "d"),
          new EmailReceipt("ses", List.of(SUPPORT_BOX), passing))).isInstanceOf(EmailOutcome.Sent.class);
      assertThat(world.provider.submitted()).extracting(SubmitRequest::body).containsExactly("d");
    }

    @Test
    @DisplayName("automatic mail, mail from a mailbox, and silent reasons are refused without an answer")
    void noAnswer() {
      assertThat(origination.handle(email("mallory@evil.example", SUPPORT_BOX, "x", "hi",
          m -> header(m, "Auto-Submitted", "auto-replied")))).isEqualTo(refusedSilently(
              Refusal.Reason.SENDER_NOT_ALLOWED));
      assertThat(origination.handle(email("list@evil.example", SUPPORT_BOX, "x", "hi",
          m -> header(m, "Precedence", "bulk")))).isInstanceOfSatisfying(EmailOutcome.Refused.class,
              r -> assertThat(r.replied()).isFalse());
      assertThat(origination.handle(email(UK_BOX, SUPPORT_BOX, "x", "hi")))
          .isInstanceOfSatisfying(EmailOutcome.Refused.class, r -> assertThat(r.replied()).isFalse());
      origination = world.origination().silentRefusals(Set.of(Refusal.Reason.SENDER_NOT_ALLOWED)).build();
      assertThat(origination.handle(email("eve@evil.example", SUPPORT_BOX, "x", "hi")))
          .isInstanceOfSatisfying(EmailOutcome.Refused.class, r -> assertThat(r.replied()).isFalse());
      assertThat(world.received()).isEmpty();
    }

    private EmailOutcome refusedSilently(Refusal.Reason reason) {
      return new EmailOutcome.Refused(new Refusal(reason,
          "Your address may not send text messages. Ask your administrator to add it."), false);
    }
  }

  @Test
  @DisplayName("building: a mailbox whose number no mapping holds, and missing parts, are refused at build time")
  void building() {
    assertThatThrownBy(() -> world.origination().mailboxes(EmailMailboxes.builder()
        .mailbox("sms@gw.example.com", "+14155550142").build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a business number")
        .hasMessageNotContaining("+14155550142");
    assertThatThrownBy(() -> EmailOrigination.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("conversations");
  }

  void assertRefused(EmailOutcome outcome, Refusal.Reason reason, String answeredTo, String explanationPart)
      throws Exception {
    assertThat(outcome).isInstanceOfSatisfying(EmailOutcome.Refused.class, r -> {
      assertThat(r.refusal().reason()).isEqualTo(reason);
      assertThat(r.refusal().explanation()).contains(explanationPart);
      assertThat(r.replied()).isTrue();
    });
    if (reason != Refusal.Reason.SEND_FAILED && reason != Refusal.Reason.DELIVERY_UNKNOWN) {
      assertThat(world.provider.submitted()).isEmpty();
    } else {
      assertThat(world.provider.submitted()).hasSize(1);
    }
    assertThat(world.mail.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage reply = world.received()[world.received().length - 1];
    assertThat(reply.getRecipients(MimeMessage.RecipientType.TO)[0].toString()).isEqualTo(answeredTo);
    assertThat(reply.getSubject()).startsWith("Not sent: ");
    assertThat(reply.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
    assertThat(reply.getHeader("In-Reply-To", null)).isNotBlank();
    assertThat(((String) reply.getContent())).contains(explanationPart.replace("\n", "\r\n"));
    world.mail.purgeEmailFromAllMailboxes();
  }

  SubmitRequest single() {
    assertThat(world.provider.submitted()).hasSize(1);
    return world.provider.submitted().get(0);
  }

  static byte[] raw(MimeMessage m) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  static void header(MimeMessage m, String name, String value) {
    try {
      m.setHeader(name, value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Consumer<MimeMessage> none() {
    return m -> { };
  }
}
