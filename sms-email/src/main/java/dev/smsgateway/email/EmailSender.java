package dev.smsgateway.email;

import jakarta.mail.internet.MimeMessage;

/**
 * Sends the emails this module writes (refusal replies, customers' replies to agents): {@link SmtpEmailSender} for
 * an SMTP server, {@link SesEmailSender} for Amazon SES.
 *
 * <p>Implementations must be thread-safe. {@link #send} blocks until the server took the message.
 */
@FunctionalInterface
public interface EmailSender {

  /**
   * Sends {@code message} to its To, Cc and Bcc recipients, with its headers as they are (Message-ID, In-Reply-To and
   * References included).
   *
   * @return the id the message was sent under: its Message-ID without angle brackets, or the id the service gave it
   *     when the service writes its own Message-ID (SES)
   * @throws EmailSendException when the server did not take it ({@link EmailSendException#retryable()} says whether
   *     trying again may help)
   */
  String send(MimeMessage message) throws EmailSendException;
}
