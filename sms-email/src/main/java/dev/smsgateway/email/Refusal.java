package dev.smsgateway.email;

import java.util.Objects;

/**
 * Why an email was not sent as an SMS. {@link #explanation()} is what the reply email tells the sender; it may
 * name what the sender wrote (their subject) but never another person's address or number.
 *
 * <p>Immutable and thread-safe.
 *
 * @param reason the category
 * @param explanation one or two sentences for the sender, saying how to fix it where they can
 */
public record Refusal(Reason reason, String explanation) {

  /** Categories of refusal. Immutable and thread-safe. */
  public enum Reason {
    /** The sender's address is not an agent's ({@link EmailAgentResolver}). */
    SENDER_NOT_ALLOWED,
    /** A required SPF, DKIM or DMARC verdict did not pass, or the spam or virus scan failed. */
    NOT_AUTHENTICATED,
    /** No recipient address is a business number's mailbox. */
    UNKNOWN_MAILBOX,
    /** The subject is not a phone number, or not one the business number's country can read. */
    BAD_NUMBER,
    /** Nothing is left of the body once quotes and signatures are removed. */
    EMPTY_TEXT,
    /** The text is longer than the configured maximum. */
    TEXT_TOO_LONG,
    /** The email carries files; SMS carries text only. */
    ATTACHMENT,
    /** The email could not be read (structure, charset). */
    UNREADABLE,
    /** The customer opted out of texts from this number. */
    OPTED_OUT,
    /** The SMS provider refused the message for good. */
    SEND_FAILED,
    /**
     * The provider did not answer in time after the message left: it may have been delivered. It is not sent again
     * (a redelivery of the email gets the same answer); a delivery report may settle it later.
     */
    DELIVERY_UNKNOWN
  }

  /** Checks the fields. */
  public Refusal {
    Objects.requireNonNull(reason, "reason == null");
    Objects.requireNonNull(explanation, "explanation == null");
  }
}
