package dev.smsgateway.eum;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.store.MessageStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * Receives what SNS posts to an HTTPS subscription for an {@link EumSmsProvider}: two-way SMS messages become
 * {@link InboundSms}, SMS events from a configuration set's event destination become {@link DeliveryReport}s, and
 * subscription confirmations for allow-listed topics are confirmed. Framework-neutral: give it the request's method,
 * URL, headers and body stream and write out the {@link WebhookResponse}; {@link #httpHandler()} does that for the
 * JDK's {@code HttpServer}.
 *
 * <pre>{@code
 * SnsWebhookHandler sns = SnsWebhookHandler.builder(provider)
 *     .allowTopicArns(List.of("arn:aws:sns:us-east-1:123456789012:sms-inbound"))
 *     .snsClient(snsAsyncClient)           // to confirm subscriptions
 *     .messageStore(gatewayMessageStore)   // de-duplicate across instances
 *     .build();
 * server.createContext("/sns", sns.httpHandler());
 * }</pre>
 *
 * <p>Every request is checked in this order, and nothing reaches the listener unless all pass: POST; the body at most
 * {@code maxBodyBytes} (refused from Content-Length before reading, and while reading); a signed SNS JSON envelope
 * (raw message delivery is refused); an allow-listed {@code TopicArn}; a {@code Timestamp} inside the replay window;
 * the certificate URL (https on exactly {@code sns.<topic region>.amazonaws.com}, no user info, no other port, a
 * {@code /SimpleNotificationService-<id>.pem} path; refused before any fetch otherwise; each URL fetched at most once
 * and cached), the certificate (valid at the clock's time, issued to {@code sns.amazonaws.com}, chained to the
 * configured trust anchors if any) and the signature (version 1 SHA1withRSA or 2 SHA256withRSA); then
 * de-duplication by {@code MessageId}. Answers: 200 taken or duplicate; 400/403/405/413 refused for good (SNS does not retry 4xx);
 * 409 for a two-way SMS to a provider in mode {@link EumMode#EUM_CONNECT} (Connect owns its inbound);
 * 503 when the listener threw, the provider is not started, or the certificate could not be fetched, so that SNS
 * delivers again.
 *
 * <p>Threads: {@link #handle} runs on the caller's (web server's) thread and calls the provider's listener on it; a
 * subscription confirmation waits up to {@code confirmTimeout} for SNS. Thread-safe.
 */
public final class SnsWebhookHandler {

  private static final Logger log = LoggerFactory.getLogger(SnsWebhookHandler.class);

  /** The default body cap; SMS messages and events are a few KiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  private final EumSmsProvider provider;
  private final SnsMessageChecks checks;
  private final SnsAsyncClient snsClient;
  private final SnsSignatureVerifier verifier;
  private final SeenMessages seen;
  private final int maxBodyBytes;
  private final Duration confirmTimeout;
  private final String shortCodeCountry;
  private final ObjectMapper json;

  private SnsWebhookHandler(Builder b) {
    this.provider = b.provider;
    this.checks = new SnsMessageChecks(b.allowedTopicArns, b.clock, b.maxMessageAge, b.maxClockSkew);
    this.snsClient = b.snsClient;
    this.verifier = new SnsSignatureVerifier(b.certificateFetcher, b.trustAnchors, b.clock, 64);
    this.seen = b.messageStore != null ? SeenMessages.of(b.messageStore) : SeenMessages.inMemory(b.clock, 100_000);
    this.maxBodyBytes = b.maxBodyBytes;
    this.confirmTimeout = b.confirmTimeout;
    this.shortCodeCountry = b.shortCodeCountry;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(16)
            .maxStringLength(maxBodyBytes)
            .maxNumberLength(32)
            .build())
        .build();
    this.json = new ObjectMapper(factory);
  }

  /** A builder for a handler that feeds {@code provider}'s listener. */
  public static Builder builder(EumSmsProvider provider) {
    return new Builder(Objects.requireNonNull(provider, "provider == null"));
  }

  /**
   * Handles one request. Never throws for bad input; every outcome is a response.
   *
   * @param method the HTTP method
   * @param url the request URL (used in logs only; SNS does not sign it)
   * @param headers request headers, names in any case
   * @param body the raw body; read at most {@code maxBodyBytes + 1} bytes, not closed
   */
  public WebhookResponse handle(String method, URI url, Map<String, List<String>> headers, InputStream body) {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    if (!"POST".equalsIgnoreCase(method)) {
      return new WebhookResponse(405, Map.of("Allow", "POST", "Content-Type", "text/plain; charset=utf-8"),
          "only POST is accepted");
    }
    long declared = contentLength(headers);
    if (declared > maxBodyBytes) {
      return WebhookResponse.text(413, "body larger than " + maxBodyBytes + " bytes");
    }
    byte[] bytes;
    try {
      bytes = body.readNBytes(maxBodyBytes + 1);
    } catch (IOException e) {
      return WebhookResponse.text(400, "could not read the body");
    }
    if (bytes.length > maxBodyBytes) {
      return WebhookResponse.text(413, "body larger than " + maxBodyBytes + " bytes");
    }
    String headerType = header(headers, "x-amz-sns-message-type");
    try {
      return process(bytes, headerType);
    } catch (SnsRejection r) {
      if (r.status() >= 500) {
        log.warn("SNS request not taken ({}): {}", r.status(), r.getMessage());
      } else {
        log.warn("SNS request refused ({}): {}", r.status(), r.getMessage());
      }
      return WebhookResponse.text(r.status(), r.getMessage());
    } catch (RuntimeException e) {
      // A bug, not bad input: still answer, and let SNS deliver again.
      log.error("SNS request failed unexpectedly", e);
      return WebhookResponse.text(500, "internal error");
    }
  }

  /**
   * An adapter for the JDK's {@code com.sun.net.httpserver.HttpServer}. Run that server with
   * {@code -Dsun.net.httpserver.nodelay=true}: it writes headers and body separately, and without TCP_NODELAY each
   * answer can wait out a 40 ms delayed ACK.
   */
  public HttpHandler httpHandler() {
    return new SnsHttpServerAdapter(this, maxBodyBytes);
  }

  /** How many certificate downloads were made (each URL at most once while cached). */
  public int certificateFetchCount() {
    return verifier.fetchCount();
  }

  /** How many RSA signature verifications were run (a redelivered message already verified runs none). */
  long rsaVerificationCount() {
    return verifier.rsaVerificationCount();
  }

  private WebhookResponse process(byte[] bytes, String headerType) throws SnsRejection {
    JsonNode tree;
    try {
      tree = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new SnsRejection(400, "body is not JSON (" + e.getClass().getSimpleName() + ")");
    } catch (IOException e) {
      throw new SnsRejection(400, "body could not be read as JSON");
    }
    SnsEnvelope envelope = SnsEnvelope.of(tree);
    if (headerType != null && !headerType.equals(envelope.type())) {
      throw new SnsRejection(400, "x-amz-sns-message-type header differs from the body's Type");
    }
    checks.checkTopic(envelope);
    Instant timestamp = checks.checkTimestamp(envelope);
    verifier.verify(envelope);

    String key = "sns:" + envelope.messageId();
    if (!seen.markSeen(key, checks.acceptableUntil(timestamp))) {
      log.debug("SNS message {} is a duplicate; already processed", envelope.messageId());
      return WebhookResponse.text(200, "duplicate");
    }
    try {
      WebhookResponse response = SnsEndpoint.dispatch(envelope.type(), envelope.topicArn(), envelope.messageId(),
          () -> SnsEndpoint.confirm(snsClient, confirmTimeout, envelope.topicArn(), envelope.token()),
          () -> notification(envelope, timestamp));
      if (response.status() >= 500) {
        throw new SnsRejection(response.status(), response.body()); // a confirmation SNS must send again
      }
      return response;
    } catch (SnsRejection | RuntimeException e) {
      if (!(e instanceof SnsRejection r) || r.status() >= 500) {
        seen.unmarkSeen(key); // not taken: SNS's redelivery must be processed
      }
      throw e;
    }
  }

  private WebhookResponse notification(SnsEnvelope envelope, Instant timestamp) throws SnsRejection {
    ProviderListener listener = provider.listener();
    if (listener == null) {
      throw new SnsRejection(503, "provider " + provider.name() + " is not started");
    }
    JsonNode message;
    try {
      message = json.readTree(envelope.message());
    } catch (JsonProcessingException e) {
      throw new SnsRejection(400, "notification Message is not JSON");
    }
    if (message == null || !message.isObject()) {
      throw new SnsRejection(400, "notification Message is not a JSON object");
    }
    if (SnsEvents.isInbound(message) && provider.mode() == EumMode.EUM_CONNECT) {
      // Connect owns this provider's inbound: an SMS here means the number's two-way channel points at SNS, and no
      // agent will see it. Refused (4xx: SNS does not retry; a subscription with a dead-letter queue keeps it).
      log.error("provider {} is in mode EUM_CONNECT but SNS delivered a two-way SMS ({}): set the number's two-way"
          + " channel to the Amazon Connect instance, or use mode EUM_SNS", provider.name(), envelope.messageId());
      throw new SnsRejection(409, "provider " + provider.name() + " is in mode EUM_CONNECT: inbound SMS belong to"
          + " Amazon Connect, not to SNS");
    }
    if (SnsEvents.isInbound(message)) {
      InboundSms sms = SnsEvents.inbound(message, provider.name(), timestamp, envelope.messageId(), shortCodeCountry);
      deliver(() -> listener.onInbound(sms), "inbound " + sms.providerMessageId());
      return WebhookResponse.text(200, "ok");
    }
    if (SnsEvents.isTextEvent(message)) {
      DeliveryReport report = SnsEvents.report(message, provider.name(), timestamp);
      deliver(() -> listener.onDeliveryReport(report), "report for " + report.providerMessageId());
      return WebhookResponse.text(200, "ok");
    }
    log.debug("SNS notification {} is neither a two-way SMS nor an SMS event; ignored", envelope.messageId());
    return WebhookResponse.text(200, "ignored");
  }

  private static void deliver(Runnable call, String what) throws SnsRejection {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("listener failed on {}; answering 503 so that SNS delivers it again", what, e);
      throw new SnsRejection(503, "listener did not take the message");
    }
  }

  private static long contentLength(Map<String, List<String>> headers) {
    String value = header(headers, "content-length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name) && e.getValue() != null
          && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /** Builds {@link SnsWebhookHandler}. Not thread-safe. */
  public static final class Builder {
    private final EumSmsProvider provider;
    private Set<String> allowedTopicArns = Set.of();
    private SnsAsyncClient snsClient;
    private SnsCertificateFetcher certificateFetcher;
    private Set<TrustAnchor> trustAnchors;
    private MessageStore messageStore;
    private Clock clock = Clock.systemUTC();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration maxMessageAge = Duration.ofHours(1);
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private Duration confirmTimeout = Duration.ofSeconds(10);
    private String shortCodeCountry;

    private Builder(EumSmsProvider provider) {
      this.provider = provider;
    }

    /** The topics whose messages are accepted and whose subscriptions are confirmed. Required, not empty. */
    public Builder allowTopicArns(Collection<String> topicArns) {
      Objects.requireNonNull(topicArns, "topicArns == null");
      this.allowedTopicArns = Set.copyOf(topicArns);
      return this;
    }

    /**
     * The application's SNS client, used to confirm subscriptions ({@code ConfirmSubscription} with
     * {@code AuthenticateOnUnsubscribe=true}, so that only the topic owner can unsubscribe). It must be in the
     * topics' region. Without one, confirmations are logged and left to the operator.
     */
    public Builder snsClient(SnsAsyncClient snsClient) {
      this.snsClient = Objects.requireNonNull(snsClient, "snsClient == null");
      return this;
    }

    /** Downloads signing certificates. Default {@link SnsCertificateFetcher#https} with a 5 s timeout. */
    public Builder certificateFetcher(SnsCertificateFetcher certificateFetcher) {
      this.certificateFetcher = Objects.requireNonNull(certificateFetcher, "certificateFetcher == null");
      return this;
    }

    /**
     * When set, signing certificates must chain (PKIX) to one of these anchors. Default none: trust rests on the
     * TLS-authenticated download from {@code sns.<region>.amazonaws.com}.
     */
    public Builder trustAnchors(Set<TrustAnchor> trustAnchors) {
      this.trustAnchors = Set.copyOf(Objects.requireNonNull(trustAnchors, "trustAnchors == null"));
      return this;
    }

    /**
     * De-duplicates by SNS MessageId through the gateway's store ({@link MessageStore#markSeen}), so that several
     * instances behind one subscription process each message once. Default: an in-memory set for this instance.
     */
    public Builder messageStore(MessageStore messageStore) {
      this.messageStore = Objects.requireNonNull(messageStore, "messageStore == null");
      return this;
    }

    /** The clock for the replay window and certificate validity. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The body cap in bytes, at least 1,024. Default 64 KiB. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes < 1024: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * The replay window: messages whose Timestamp is older are refused, and MessageIds are remembered this long.
     * Keep it longer than the topic's delivery-policy retry span. Default 1 hour.
     */
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

    /** How long a subscription confirmation waits for SNS. Default 10 seconds. */
    public Builder confirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout == null");
      return this;
    }

    /** The ISO 3166-1 country to read short-code destinations in (two-way SMS to a short code). Default none. */
    public Builder shortCodeCountry(String shortCodeCountry) {
      this.shortCodeCountry = shortCodeCountry;
      return this;
    }

    /**
     * Builds the handler.
     *
     * @throws IllegalStateException if no topic is allow-listed
     */
    public SnsWebhookHandler build() {
      if (allowedTopicArns.isEmpty()) {
        throw new IllegalStateException("allowTopicArns is empty: list the SNS topics this endpoint subscribes to");
      }
      if (certificateFetcher == null) {
        certificateFetcher = SnsCertificateFetcher.https(Duration.ofSeconds(5));
      }
      return new SnsWebhookHandler(this);
    }
  }
}
