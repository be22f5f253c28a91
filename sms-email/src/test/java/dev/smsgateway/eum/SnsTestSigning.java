package dev.smsgateway.eum;

import java.net.URI;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * Opens sms-eum's test CA and SNS signer (its test-jar; package-private there) to sms-email's tests, so that SES
 * notifications are signed exactly as sms-eum's own SNS tests sign theirs.
 */
public final class SnsTestSigning {

  public static final String CERT_URL = SnsTestMessages.CERT_URL;

  private final TestCa ca;
  private final TestCa.Signer signer;
  private final SnsTestMessages messages;

  private SnsTestSigning(Instant now) {
    ca = TestCa.create("sms-email test root", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(3650)));
    signer = ca.issue("sns.amazonaws.com", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    messages = new SnsTestMessages(signer);
  }

  public static SnsTestSigning create(Instant now) {
    return new SnsTestSigning(now);
  }

  public Set<TrustAnchor> anchors() {
    return Set.of(ca.anchor());
  }

  /** Serves the signing certificate at {@link #CERT_URL} only. */
  public SnsCertificateFetcher fetcher() {
    return new TestSupport.CountingFetcher(Map.of(CERT_URL, signer.pem()));
  }

  /** A notification's fields in SNS's order, unsigned, with a Subject. */
  public static Map<String, String> notification(String topic, String subject, String message, Instant at) {
    Map<String, String> m = new LinkedHashMap<>(SnsTestMessages.notification(topic, message, at));
    Map<String, String> ordered = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      ordered.put(k, v);
      if (k.equals("Message") && subject != null) {
        ordered.put("Subject", subject);
      }
    });
    return ordered;
  }

  public static Map<String, String> subscriptionConfirmation(String topic, Instant at) {
    return SnsTestMessages.subscriptionConfirmation(topic, at);
  }

  /** The signature of {@code fields}. */
  public String signature(Map<String, String> fields) {
    return messages.signature(fields);
  }

  /** The signed JSON body SNS would post. */
  public String sign(Map<String, String> fields) {
    return messages.sign(fields);
  }

  /** A real SNS SDK client for a loopback endpoint, as sms-eum's tests build theirs. */
  public static SnsAsyncClient snsClient(URI endpoint) {
    return TestSupport.sns(endpoint);
  }
}
