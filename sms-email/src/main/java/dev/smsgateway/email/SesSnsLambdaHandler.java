package dev.smsgateway.email;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.eum.SnsVerificationException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AWS Lambda handler for the SNS topic an Amazon SES receipt rule publishes to: each record's message is an SES
 * receipt notification, handed to an {@link EmailOrigination}. Lambda needs a public no-argument constructor, so
 * extend this class and build the origination (from environment variables or a configuration file) in yours:
 *
 * <pre>{@code
 * public final class EmailToSms extends SesSnsLambdaHandler {
 *   public EmailToSms() {
 *     super(Wiring.emailOrigination(), Wiring.snsVerifier());   // built once per Lambda container
 *   }
 * }
 * }</pre>
 *
 * <p>With a verifier, every record's SNS signature is checked as on the HTTP endpoint (SNS invokes Lambda with the
 * signed fields); a record that fails is skipped and logged, since a redelivery would fail the same way. Give that
 * verifier a {@code maxMessageAge} at least the function's maximum event age (6 hours unless configured), or a record
 * that Lambda retries late would be refused as a replay. A record
 * whose email could not be handled now ({@link EmailNotTakenException}) fails the invocation after the other records
 * are handled, so that Lambda's asynchronous retries deliver the event again; records already handled are then
 * recognized as redeliveries by their Message-ID and not sent twice.
 *
 * <p>Thread-safe.
 */
public class SesSnsLambdaHandler implements RequestHandler<SNSEvent, String> {

  private static final Logger log = LoggerFactory.getLogger(SesSnsLambdaHandler.class);
  // SNS writes milliseconds, always three digits.
  private static final DateTimeFormatter SNS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private final EmailOrigination origination;
  private final SnsMessageVerifier verifier;

  /**
   * A handler that feeds {@code origination}.
   *
   * @param verifier checks each record's SNS signature; null trusts the invocation (Lambda's resource policy lets
   *     only the topic invoke the function)
   */
  protected SesSnsLambdaHandler(EmailOrigination origination, SnsMessageVerifier verifier) {
    this.origination = Objects.requireNonNull(origination, "origination == null");
    this.verifier = verifier;
  }

  /**
   * Handles every record of the event.
   *
   * @return a summary such as {@code "sent=1 refused=0 duplicate=0 skipped=0"}
   * @throws EmailNotTakenException if a record's email could not be handled now (Lambda retries the event)
   */
  @Override
  public String handleRequest(SNSEvent event, Context context) {
    Objects.requireNonNull(event, "event == null");
    int sent = 0;
    int refused = 0;
    int duplicate = 0;
    int skipped = 0;
    EmailNotTakenException failed = null;
    for (SNSEvent.SNSRecord record : event.getRecords() == null ? java.util.List.<SNSEvent.SNSRecord>of()
        : event.getRecords()) {
      SNSEvent.SNS sns = record.getSNS();
      if (sns == null) {
        skipped++;
        continue;
      }
      String message = sns.getMessage();
      if (verifier != null) {
        try {
          message = verifier.verify(fields(sns)).message();
        } catch (SnsVerificationException e) {
          if (e.retryable()) {
            failed = new EmailNotTakenException("SNS signing certificate could not be fetched", e);
            continue;
          }
          log.warn("SNS record {} refused ({}): {}", sns.getMessageId(), e.status(), e.getMessage());
          skipped++;
          continue;
        }
      }
      SesReceiptNotification.Received received;
      try {
        received = SesReceiptNotification.parse(message == null ? "" : message);
      } catch (SesReceiptNotification.Invalid e) {
        log.warn("SNS record {} skipped: {}", sns.getMessageId(), e.getMessage());
        skipped++;
        continue;
      }
      try {
        EmailOutcome outcome = origination.handle(received.message(), received.receipt());
        if (outcome instanceof EmailOutcome.Sent) {
          sent++;
        } else if (outcome instanceof EmailOutcome.Refused) {
          refused++;
        } else {
          duplicate++;
        }
      } catch (EmailNotTakenException e) {
        log.warn("SNS record {} not taken; the invocation fails so that Lambda retries: {}", sns.getMessageId(),
            e.getMessage());
        failed = e;
      }
    }
    if (failed != null) {
      throw failed;
    }
    return "sent=" + sent + " refused=" + refused + " duplicate=" + duplicate + " skipped=" + skipped;
  }

  /** The record's fields named as in SNS's HTTP envelope, for {@link SnsMessageVerifier#verify(Map)}. */
  static Map<String, String> fields(SNSEvent.SNS sns) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Type", sns.getType());
    f.put("MessageId", sns.getMessageId());
    f.put("TopicArn", sns.getTopicArn());
    f.put("Subject", sns.getSubject());
    f.put("Message", sns.getMessage());
    f.put("Timestamp", sns.getTimestamp() == null ? null
        : SNS_TIME.format(Instant.ofEpochMilli(sns.getTimestamp().getMillis())));
    f.put("SignatureVersion", sns.getSignatureVersion());
    f.put("Signature", sns.getSignature());
    f.put("SigningCertURL", sns.getSigningCertUrl());
    return f;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + origination + ", verified=" + (verifier != null) + "}";
  }
}
