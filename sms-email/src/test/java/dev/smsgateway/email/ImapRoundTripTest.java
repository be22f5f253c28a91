package dev.smsgateway.email;

import static dev.smsgateway.email.EmailWorld.ALICE;
import static dev.smsgateway.email.EmailWorld.SUPPORT;
import static dev.smsgateway.email.EmailWorld.SUPPORT_BOX;
import static dev.smsgateway.email.EmailWorld.email;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.Eventually;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The IMAP deployment end to end on GreenMail: the agent's email goes over SMTP into the mailbox, the IMAP source
 * reads it, the SMS leaves, the customer's reply is emailed to the agent over SMTP, and the agent's answer to that
 * email continues the conversation.
 */
@DisplayName("IMAP source and SMTP replies (GreenMail)")
class ImapRoundTripTest {

  EmailWorld world;
  EmailOrigination origination;
  ImapMailboxSource source;

  @BeforeEach
  void setUp() {
    world = new EmailWorld();
    world.mail.setUser(SUPPORT_BOX, "support", "secret-pw");
    origination = world.origination().build();
    world.conversations.addListener(origination.replyListener(Runnable::run));
    source = ImapMailboxSource.builder().origination(origination).host("127.0.0.1")
        .port(world.mail.getImap().getPort()).tls(ImapMailboxSource.Tls.NONE).credentials("support", "secret-pw")
        .pollInterval(Duration.ofMillis(200)).idleTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() {
    source.close();
    world.close();
  }

  @Test
  @DisplayName("email in, SMS out, reply emailed to the agent, the agent's answer continues the conversation")
  void roundTrip() throws Exception {
    String aliceId = world.smtp.send(email(ALICE, SUPPORT_BOX, "+1 415 555 0123", "Your order ships today.\n\n"
        + "-- \nAlice"));

    assertThat(source.pollOnce()).isEqualTo(1);
    assertThat(source.pollOnce()).isZero(); // flagged \Seen
    SubmitRequest first = world.provider.submitted().get(0);
    assertThat(first.body()).isEqualTo("Your order ships today.");
    assertThat(first.to().e164()).isEqualTo("+14155550123");

    world.mail.purgeEmailFromAllMailboxes();
    world.provider.deliverInbound(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of(SUPPORT)),
        "Thanks, when does it arrive?");
    assertThat(world.mail.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage toAlice = world.received()[0];
    assertThat(toAlice.getRecipients(MimeMessage.RecipientType.TO)[0].toString()).isEqualTo(ALICE);
    assertThat(toAlice.getFrom()[0].toString()).contains(SUPPORT_BOX).contains("ACME Support");
    assertThat(toAlice.getSubject()).isEqualTo("SMS from +14155550123 [ACME Support]");
    assertThat(toAlice.getHeader("In-Reply-To", null)).isEqualTo("<" + aliceId + ">");
    assertThat((String) toAlice.getContent()).startsWith("Thanks, when does it arrive?");
    String replyId = toAlice.getMessageID();
    assertThat(replyId).startsWith("<sms.");

    // Alice answers from her client; she even changed the subject: the thread still names the conversation.
    world.mail.purgeEmailFromAllMailboxes();
    world.smtp.send(email(ALICE, SUPPORT_BOX, "Re: delivery", "Tomorrow before noon.\n\nOn Mon, 23 Nov 2026,"
        + " ACME Support <" + SUPPORT_BOX + "> wrote:\n> Thanks, when does it arrive?", m -> {
          try {
            m.setHeader("In-Reply-To", replyId);
            m.setHeader("References", "<" + aliceId + "> " + replyId);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
    assertThat(source.pollOnce()).isEqualTo(1);
    assertThat(world.provider.submitted()).hasSize(2);
    SubmitRequest second = world.provider.submitted().get(1);
    assertThat(second.body()).isEqualTo("Tomorrow before noon.");
    assertThat(second.to().e164()).isEqualTo("+14155550123");
    assertThat(world.conversations.transcript(
        world.conversationStore.findOpen(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of(SUPPORT)))
            .orElseThrow().id())).hasSize(3);
  }

  @Test
  @DisplayName("a message whose handling failed stays unseen and is handled on the next pass, once")
  void failedMessageStaysUnseen() throws Exception {
    world.smtp.send(email(ALICE, SUPPORT_BOX, "+14155550123", "after the outage"));
    world.flakyOriginators.failNextPuts.set(1);

    assertThat(source.pollOnce()).isZero();
    assertThat(world.provider.submitted()).isEmpty();
    assertThat(source.pollOnce()).isEqualTo(1);
    assertThat(source.pollOnce()).isZero();
    assertThat(world.provider.submitted()).hasSize(1);
  }

  @Test
  @DisplayName("a refused email is answered over SMTP and flagged seen")
  void refusalAnswered() throws Exception {
    world.smtp.send(email("mallory@evil.example", SUPPORT_BOX, "+14155550123", "hi"));
    assertThat(source.pollOnce()).isEqualTo(1);
    assertThat(world.mail.waitForIncomingEmail(5_000, 2)).isTrue();
    assertThat(Arrays.stream(world.received()).filter(m -> recipient(m).equals("mallory@evil.example")))
        .singleElement().satisfies(m -> assertThat(m.getSubject()).isEqualTo("Not sent: +14155550123"));
    assertThat(world.provider.submitted()).isEmpty();
  }

  @Test
  @DisplayName("started, the source waits in IDLE (GreenMail offers it) and handles mail as it arrives")
  void idle() throws Exception {
    source.start();
    await(() -> source.idleSupported());
    world.smtp.send(email(ALICE, SUPPORT_BOX, "+14155550123", "pushed"));
    await(() -> world.provider.submitted().size() == 1);
    world.smtp.send(email(ALICE, SUPPORT_BOX, "+14155550124", "pushed again"));
    await(() -> source.handledCount() == 2);
    assertThat(world.provider.submitted()).extracting(SubmitRequest::body).containsExactly("pushed", "pushed again");
  }

  static String recipient(MimeMessage m) {
    try {
      return m.getRecipients(MimeMessage.RecipientType.TO)[0].toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for a condition another thread makes true, up to 10 s. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    Eventually.await("the condition", Duration.ofSeconds(10), condition);
  }
}
