package dev.smsgateway.eum;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a signed SNS message for modules that receive SNS notifications of their own (such as SES receipt
 * notifications): the same envelope reading and signature verification {@link SnsWebhookHandler} applies, without
 * its SMS handling. In order: a signed SNS JSON envelope (raw message delivery is refused), an allow-listed
 * {@code TopicArn}, a {@code Timestamp} inside the replay window, the certificate URL (https on exactly
 * {@code sns.<topic region>.amazonaws.com}, refused before any fetch otherwise; each URL fetched once and cached), the
 * certificate (valid at the clock's time, issued to {@code sns.amazonaws.com}, chained to the trust anchors if given)
 * and the signature (version 1 SHA1withRSA or 2 SHA256withRSA). De-duplication is the caller's.
 *
 * <pre>{@code
 * SnsMessageVerifier verifier = SnsMessageVerifier.builder()
 *     .allowTopicArns(List.of("arn:aws:sns:us-east-1:123456789012:ses-inbound"))
 *     .build();
 * SnsMessage message = verifier.verify(requestBody);   // throws SnsVerificationException with the status to answer
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SnsMessageVerifier {

  private final SnsMessageChecks checks;
  private final SnsSignatureVerifier signatures;
  private final ObjectMapper json;

  private SnsMessageVerifier(Builder b) {
    this.checks = new SnsMessageChecks(b.allowedTopicArns, b.clock, b.maxMessageAge, b.maxClockSkew);
    this.signatures = new SnsSignatureVerifier(b.certificateFetcher, b.trustAnchors, b.clock, 64);
    this.json = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(16)
            .maxNumberLength(32)
            .build())
        .build());
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies the JSON body SNS posted to an HTTP(S) subscription.
   *
   * @throws SnsVerificationException naming the broken rule, with the status to answer
   */
  public SnsMessage verify(byte[] body) throws SnsVerificationException {
    Objects.requireNonNull(body, "body == null");
    JsonNode tree;
    try {
      tree = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new SnsVerificationException(new SnsRejection(400, "body is not JSON (" + e.getClass().getSimpleName()
          + ")"));
    } catch (IOException e) {
      throw new SnsVerificationException(new SnsRejection(400, "body could not be read as JSON"));
    }
    return verify(tree);
  }

  /**
   * Verifies an SNS message given as its fields, named as in the HTTP envelope ({@code Type}, {@code MessageId},
   * {@code TopicArn}, {@code Subject}, {@code Message}, {@code Timestamp}, {@code SignatureVersion},
   * {@code Signature}, {@code SigningCertURL}, and {@code Token}/{@code SubscribeURL} for confirmations): for
   * example the {@code Sns} record of a Lambda {@code SNSEvent}. Null values count as absent.
   *
   * @throws SnsVerificationException naming the broken rule, with the status to answer
   */
  public SnsMessage verify(Map<String, String> fields) throws SnsVerificationException {
    Objects.requireNonNull(fields, "fields == null");
    ObjectNode tree = json.createObjectNode();
    fields.forEach((k, v) -> {
      if (k != null && v != null) {
        tree.put(k, v);
      }
    });
    return verify(tree);
  }

  private SnsMessage verify(JsonNode tree) throws SnsVerificationException {
    try {
      SnsEnvelope envelope = SnsEnvelope.of(tree);
      checks.checkTopic(envelope);
      Instant timestamp = checks.checkTimestamp(envelope);
      signatures.verify(envelope);
      return new SnsMessage(envelope.type(), envelope.messageId(), envelope.topicArn(), envelope.subject(),
          envelope.message(), timestamp, envelope.token());
    } catch (SnsRejection r) {
      throw new SnsVerificationException(r);
    }
  }

  /** How many certificate downloads were made (each URL at most once while cached). */
  public int certificateFetchCount() {
    return signatures.fetchCount();
  }

  /** Builds {@link SnsMessageVerifier}. Not thread-safe. */
  public static final class Builder {
    private Set<String> allowedTopicArns = Set.of();
    private SnsCertificateFetcher certificateFetcher;
    private Set<TrustAnchor> trustAnchors;
    private Clock clock = Clock.systemUTC();
    private Duration maxMessageAge = Duration.ofHours(1);
    private Duration maxClockSkew = Duration.ofMinutes(5);

    private Builder() {}

    /** The topics whose messages are accepted. Required, not empty. */
    public Builder allowTopicArns(Collection<String> topicArns) {
      this.allowedTopicArns = Set.copyOf(Objects.requireNonNull(topicArns, "topicArns == null"));
      return this;
    }

    /** Downloads signing certificates. Default {@link SnsCertificateFetcher#https} with a 5 s timeout. */
    public Builder certificateFetcher(SnsCertificateFetcher certificateFetcher) {
      this.certificateFetcher = Objects.requireNonNull(certificateFetcher, "certificateFetcher == null");
      return this;
    }

    /** When set, signing certificates must chain (PKIX) to one of these anchors. Default none. */
    public Builder trustAnchors(Set<TrustAnchor> trustAnchors) {
      this.trustAnchors = Set.copyOf(Objects.requireNonNull(trustAnchors, "trustAnchors == null"));
      return this;
    }

    /** The clock for the replay window and certificate validity. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Messages whose Timestamp is older are refused. Default 1 hour. */
    public Builder maxMessageAge(Duration maxMessageAge) {
      Objects.requireNonNull(maxMessageAge, "maxMessageAge == null");
      if (maxMessageAge.isNegative() || maxMessageAge.isZero()) {
        throw new IllegalArgumentException("maxMessageAge must be positive: " + maxMessageAge);
      }
      this.maxMessageAge = maxMessageAge;
      return this;
    }

    /** How far in the future a Timestamp may be. Default 5 minutes. */
    public Builder maxClockSkew(Duration maxClockSkew) {
      this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew == null");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException if no topic is allow-listed
     */
    public SnsMessageVerifier build() {
      if (allowedTopicArns.isEmpty()) {
        throw new IllegalStateException("allowTopicArns is empty: list the SNS topics this endpoint subscribes to");
      }
      if (certificateFetcher == null) {
        certificateFetcher = SnsCertificateFetcher.https(Duration.ofSeconds(5));
      }
      return new SnsMessageVerifier(this);
    }
  }
}
