package dev.smsgateway.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world MIME shapes (src/test/resources/dev/smsgateway/email/corpus), written from the layouts Gmail, Outlook,
 * Apple Mail and Thunderbird produce: what the parser reads as the sender's text, number, attachments and thread.
 */
@DisplayName("MIME corpus")
class MimeCorpusTest {

  static Stream<Arguments> corpus() {
    return Stream.of(
        Arguments.of("gmail-alternative-reply.eml", "Sure \u2014 3pm works. See you then!",
            "+14155550123"),
        Arguments.of("gmail-html-only-signature.eml",
            "Hi Dana,\n\nYour repair is done & ready for pick-up \u2014 open until 6 pm.", "+1 (415) 555-0123"),
        Arguments.of("outlook-reply-header.eml", "Your replacement card was posted today.\n\nKind regards,\nBob",
            "+14155550123"),
        Arguments.of("outlook-html-only-logo.eml", "Your appointment is confirmed for Tuesday at 9\u201330.",
            "415-555-0123"),
        Arguments.of("apple-flowed-iphone.eml", "The technician arrives between 8 and 10 tomorrow; please keep the"
            + " driveway clear. Caf\u00E9 vouchers are in the post.", "+14155550123"),
        Arguments.of("apple-mail-alternative-related.eml", "Your refund of $25 was issued.", "+1 415 555 0123"),
        Arguments.of("latin1-subject-8bit.eml", "Ihr Paket ist angekommen. Gr\u00FC\u00DFe aus M\u00FCnchen!",
            "07911 123456"),
        Arguments.of("undeclared-utf8.eml", "See you at the caf\u00E9 \uD83D\uDE42", "+1 415 555 0123"),
        Arguments.of("smime-signed.eml", "Your account is unlocked.", "+14155550123"),
        Arguments.of("thunderbird-long-thread.eml",
            "Yes, the 14:00 slot is booked for you. Reply STOP to opt out of reminders.", "+14155550123"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  @DisplayName("the sender's text and the subject's number")
  void reads(String file, String text, String number) {
    ParsedEmail mail = parse(file);
    assertThat(mail.problem()).isNull();
    assertThat(mail.attachments()).isEmpty();
    assertThat(mail.text()).isEqualTo(text);
    assertThat(SubjectNumber.parse(mail.subject())).isEqualTo(number);
    assertThat(mail.from()).hasSize(1);
    assertThat(mail.messageId()).isNotBlank();
  }

  @Test
  @DisplayName("a PDF attachment is found and named (its RFC 2047 file name decoded)")
  void attachment() {
    ParsedEmail mail = parse("attachment-pdf.eml");
    assertThat(mail.text()).isEqualTo("Your invoice is attached.");
    assertThat(mail.attachments()).containsExactly("Rechnung M\u00E4rz.pdf");
  }

  @Test
  @DisplayName("an unknown charset is a problem that names it")
  void unknownCharset() {
    assertThat(parse("unknown-charset.eml").problem()).contains("x-klingon-1").contains("UTF-8");
  }

  @Test
  @DisplayName("recipients, thread references and a non-ASCII subject")
  void headers() {
    ParsedEmail gmail = parse("gmail-alternative-reply.eml");
    assertThat(gmail.recipients()).containsExactly("sms+support@gw.example.com");
    assertThat(gmail.references()).containsExactly(
        "sms.3f1c2b7a-1111-4222-8333-944455556666.0123456789abcdef0123456789abcdef@gw.example.com",
        "sms.3f1c2b7a-1111-4222-8333-944455556666.0123456789abcdef0123456789abcdef@gw.example.com");
    assertThat(parse("latin1-subject-8bit.eml").subject()).isEqualTo("AW: 07911 123456 [B\u00FCro M\u00FCnchen]");
    assertThat(parse("thunderbird-long-thread.eml").references()).hasSize(5)
        .startsWith("sms.x.ffffffffffffffffffffffffffffffff@gw.example.com");
    assertThat(parse("outlook-reply-header.eml").from()).containsExactly("bob@agents.example.com");
  }

  @Test
  @DisplayName("a thread's conversation comes from our Message-IDs in References, latest first, or remembered ids")
  void threads() {
    assertThat(EmailThreads.conversationOf(parse("gmail-alternative-reply.eml").references()))
        .contains("3f1c2b7a-1111-4222-8333-944455556666");
    EmailThreads threads = new EmailThreads();
    EmailThreads.Key key = new EmailThreads.Key("+14155550123", "+14155550100");
    threads.remember(key, "a2@agents.example.com");
    assertThat(threads.resolve(List.of("zz@x", "a2@elsewhere"), id -> java.util.Optional.empty())).contains(key);
    assertThat(threads.resolve(List.of("zz@x"), id -> java.util.Optional.empty())).isEmpty();
    assertThat(threads.thread(key)).containsExactly("a2@agents.example.com");
  }

  static ParsedEmail parse(String file) {
    return MimeText.parse(EmailWorld.parse(EmailWorld.resource("corpus/" + file)));
  }
}
