package dev.smsgateway.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;

/**
 * Jazzer fuzz targets (X3) for what sms-email reads from the outside: any bytes as an email through the MIME parser
 * and the text rules, any text as HTML, and any text as an SES receipt notification. A normal build replays the
 * committed inputs under {@code src/test/resources/dev/smsgateway/email/EmailFuzzTestInputs/<method>/}; fuzz one for
 * longer with {@code JAZZER_FUZZ=1 mvn -pl sms-email -am test -Dtest=EmailFuzzTest#mimeParser} (see docs/fuzzing.md).
 */
class EmailFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void mimeParser(byte[] data) {
    MimeMessage message;
    try {
      message = new MimeMessage(EmailWorld.SESSION, new ByteArrayInputStream(data));
    } catch (MessagingException e) {
      return; // Jakarta Mail refused the header block: the sources never hand such a message on
    }
    ParsedEmail mail = MimeText.parse(message); // never throws
    assertThat(mail.text()).doesNotContain("\r").isEqualTo(mail.text().strip());
    assertThat(mail.from()).allSatisfy(a -> assertThat(a).isEqualTo(a.toLowerCase(java.util.Locale.ROOT)));
    assertThat(mail.attachments()).allSatisfy(a -> assertThat(a.length()).isLessThanOrEqualTo(83));
    assertThat(SubjectNumber.parse(mail.subject()).length()).isLessThanOrEqualTo(500);
    assertThat(EmailOrigination.idempotencyKey(mail, message)).startsWith("email:").hasSize(49);
  }

  @FuzzTest(maxDuration = "30s")
  void htmlText(String html) {
    if (html == null) {
      return; // Jazzer passes null for a String parameter; the parser is only given content
    }
    String text = HtmlText.toText(html); // never throws
    assertThat(text.length()).isLessThanOrEqualTo(html.length() + 1);
    assertThat(ReplyText.strip(text)).isEqualTo(ReplyText.strip(text).strip());
  }

  @FuzzTest(maxDuration = "30s")
  void sesNotification(FuzzedDataProvider data) {
    String[] types = {"Received", "Bounce", ""};
    String[] encodings = {"UTF8", "BASE64", "base64", "x"};
    String json = data.consumeBoolean() ? data.consumeRemainingAsString()
        : "{\"notificationType\":\"" + data.pickValue(types) + "\",\"receipt\":{\"recipients\":[\""
            + data.consumeString(40).replace("\"", "") + "\"],\"spfVerdict\":{\"status\":\"" + data.consumeString(12)
            .replace("\"", "") + "\"},\"action\":{\"type\":\"SNS\",\"encoding\":\"" + data.pickValue(encodings)
            + "\"}},\"content\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(data.consumeRemainingAsString())
            + "}";
    try {
      SesReceiptNotification.Received received = SesReceiptNotification.parse(json);
      assertThat(received.receipt().source()).isEqualTo("ses");
      MimeText.parse(received.message());
    } catch (SesReceiptNotification.Invalid expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
