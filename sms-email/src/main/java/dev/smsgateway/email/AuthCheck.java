package dev.smsgateway.email;

/**
 * The checks a receiving mail server runs on an email, as Amazon SES reports them in a receipt notification
 * ({@code receipt.spfVerdict}, {@code dkimVerdict}, {@code dmarcVerdict}, {@code spamVerdict}, {@code virusVerdict})
 * or as an {@code Authentication-Results} header (RFC 8601) reports the first three.
 *
 * <p>Immutable and thread-safe.
 */
public enum AuthCheck {
  /** Sender Policy Framework (RFC 7208): the sending server may send for the envelope sender's domain. */
  SPF,
  /** DomainKeys Identified Mail (RFC 6376): a valid signature of the sending domain. */
  DKIM,
  /** DMARC (RFC 7489): SPF or DKIM passed for a domain aligned with the From address. */
  DMARC,
  /** SES's spam scan. */
  SPAM,
  /** SES's virus scan. */
  VIRUS
}
