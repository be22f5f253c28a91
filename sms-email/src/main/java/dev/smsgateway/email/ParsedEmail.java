package dev.smsgateway.email;

import java.util.List;

/**
 * What {@link MimeText} read from an email: the sender, recipients, subject, thread references, the text the sender
 * typed, and the attachments it found.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId the Message-ID header, or null
 * @param from the From addresses (lower-cased), usually one
 * @param recipients the To, Cc, Delivered-To and X-Original-To addresses (lower-cased)
 * @param subject the decoded Subject, or ""
 * @param references the message ids of In-Reply-To and References, in order, without angle brackets
 * @param text the sender's text after {@link ReplyText} (may be empty)
 * @param attachments names (or content types) of the parts that are files, not text
 * @param problem why the body could not be read (an unsupported charset, a broken structure), or null
 */
record ParsedEmail(String messageId, List<String> from, List<String> recipients, String subject,
    List<String> references, String text, List<String> attachments, String problem) {

  ParsedEmail {
    from = List.copyOf(from);
    recipients = List.copyOf(recipients);
    references = List.copyOf(references);
    attachments = List.copyOf(attachments);
  }

  @Override
  public String toString() {
    return "ParsedEmail{from=" + from.stream().map(EmailAddresses::mask).toList() + ", textChars=" + text.length()
        + ", attachments=" + attachments.size() + ", problem=" + problem + "}";
  }
}
