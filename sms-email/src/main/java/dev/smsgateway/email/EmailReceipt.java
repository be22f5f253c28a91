package dev.smsgateway.email;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the receiving side knows about an email besides its content: the envelope recipients (SMTP {@code RCPT TO},
 * which include Bcc and are more reliable than the headers) and the verdicts of its authentication checks.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source where it came from, for logs: {@code ses}, {@code imap}, ...
 * @param envelopeRecipients the SMTP recipients, lower-cased; empty when unknown (the headers are used then)
 * @param verdicts the verdicts known; a check missing here was not reported
 */
public record EmailReceipt(String source, List<String> envelopeRecipients, Map<AuthCheck, AuthVerdict> verdicts) {

  /** Checks and copies. */
  public EmailReceipt {
    Objects.requireNonNull(source, "source == null");
    envelopeRecipients = envelopeRecipients.stream().map(EmailAddresses::normalize).toList();
    verdicts = verdicts.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(verdicts));
  }

  /** A receipt with nothing known besides the source (the recipients come from the headers, no verdicts). */
  public static EmailReceipt of(String source) {
    return new EmailReceipt(source, List.of(), Map.of());
  }

  /** The verdict of {@code check}, if it was reported. */
  public Optional<AuthVerdict> verdict(AuthCheck check) {
    return Optional.ofNullable(verdicts.get(check));
  }

  /** Never prints the recipients. */
  @Override
  public String toString() {
    return "EmailReceipt{source=" + source + ", recipients=" + envelopeRecipients.size() + ", verdicts=" + verdicts
        + "}";
  }
}
