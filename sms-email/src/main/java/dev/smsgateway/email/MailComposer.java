package dev.smsgateway.email;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Writes the emails this module sends: refusal replies (RFC 3834 {@code Auto-Submitted: auto-replied}, threaded on
 * the refused email) and customers' replies to agents (threaded on the conversation's emails). Plain text, UTF-8,
 * quoted-printable where needed (Jakarta Mail chooses).
 *
 * <p>Thread-safe.
 */
final class MailComposer {

  private static final Session SESSION = Session.getInstance(new Properties());

  private final Clock clock;

  MailComposer(Clock clock) {
    this.clock = clock;
  }

  MimeMessage refusal(ParsedEmail original, String to, String from, Refusal refusal) throws MessagingException {
    MimeMessage m = new FixedIdMessage(EmailThreads.newMessageId("refusal", EmailAddresses.domain(from, "localhost")));
    m.setFrom(address(from, null));
    m.setRecipient(Message.RecipientType.TO, address(to, null));
    String subject = original.subject().isBlank() ? "(no subject)" : original.subject();
    m.setSubject("Not sent: " + subject, StandardCharsets.UTF_8.name());
    m.setSentDate(Date.from(clock.instant()));
    m.setHeader("Auto-Submitted", "auto-replied");
    thread(m, original.messageId() == null ? List.of() : List.of(strip(original.messageId())), original.references());
    m.setText("Your email was not sent as a text message.\n\n" + refusal.explanation()
        + "\n\nTo text a customer, write to this address with the customer's phone number as the subject"
        + " (for example +1 415 555 0123) and the text as the body, without attachments.\n", "UTF-8");
    return m;
  }

  MimeMessage customerReply(String conversationId, String customerE164, String businessName, String from,
      String fromName, String to, String text, List<String> thread) throws MessagingException {
    String id = EmailThreads.newMessageId(conversationId, EmailAddresses.domain(from, "localhost"));
    MimeMessage m = new FixedIdMessage(id);
    m.setFrom(address(from, fromName));
    m.setRecipient(Message.RecipientType.TO, address(to, null));
    m.setSubject("SMS from " + customerE164 + (businessName == null || businessName.isBlank() ? ""
        : " [" + businessName.replace('[', '(').replace(']', ')') + "]"), StandardCharsets.UTF_8.name());
    m.setSentDate(Date.from(clock.instant()));
    thread(m, thread.isEmpty() ? List.of() : List.of(thread.get(thread.size() - 1)), thread);
    m.setText(text + "\n\n-- \nAnswer this email to reply by SMS (the subject holds the customer's number).\n",
        "UTF-8");
    return m;
  }

  private static void thread(MimeMessage m, List<String> inReplyTo, List<String> references)
      throws MessagingException {
    if (!inReplyTo.isEmpty()) {
      m.setHeader("In-Reply-To", "<" + inReplyTo.get(0) + ">");
    }
    StringBuilder refs = new StringBuilder();
    List<String> all = new java.util.ArrayList<>(references);
    for (String id : inReplyTo) {
      if (!all.contains(id)) {
        all.add(id);
      }
    }
    // RFC 5322 section 3.6.4: References is the parent's References followed by the parent's id; keep it bounded.
    int from = Math.max(0, all.size() - EmailThreads.MAX_IDS);
    for (int i = from; i < all.size(); i++) {
      if (refs.length() > 0) {
        refs.append("\r\n ");
      }
      refs.append('<').append(strip(all.get(i))).append('>');
    }
    if (refs.length() > 0) {
      m.setHeader("References", refs.toString());
    }
  }

  private static String strip(String id) {
    String s = id.strip();
    return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
  }

  private static InternetAddress address(String address, String personal) throws MessagingException {
    try {
      return personal == null ? new InternetAddress(address, true)
          : new InternetAddress(address, personal, StandardCharsets.UTF_8.name());
    } catch (UnsupportedEncodingException e) {
      throw new MessagingException("UTF-8 unsupported", e);
    }
  }

  /** A message whose Message-ID is ours: {@code saveChanges()} would otherwise write a new one. */
  static final class FixedIdMessage extends MimeMessage {
    private final String id;

    FixedIdMessage(String id) {
      super(SESSION);
      this.id = id;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", "<" + id + ">");
    }
  }
}
