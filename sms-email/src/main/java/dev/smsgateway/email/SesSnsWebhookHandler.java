package dev.smsgateway.email;

import com.sun.net.httpserver.HttpHandler;
import dev.smsgateway.eum.SnsEndpoint;
import dev.smsgateway.eum.SnsMessage;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.eum.WebhookResponse;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * Receives what an Amazon SES receipt rule's SNS action publishes, on an HTTPS subscription of that topic, and hands
 * each received email to an {@link EmailOrigination}. Every request is verified by sms-eum's
 * {@link SnsMessageVerifier} (allow-listed topic, replay window, certificate URL and chain, signature) before
 * anything is read from it.
 *
 * <pre>{@code
 * SesSnsWebhookHandler ses = SesSnsWebhookHandler.builder(email)
 *     .verifier(SnsMessageVerifier.builder().allowTopicArns(List.of(topicArn)).build())
 *     .snsClient(snsAsyncClient)            // to confirm the subscription
 *     .build();
 * server.createContext("/ses", ses.httpHandler());
 * }</pre>
 *
 * <p>The endpoint itself (body cap, verification, confirmations, 500 on an unexpected failure) is sms-eum's
 * {@link SnsEndpoint}; this class turns its Notifications into emails handed to the origination.
 *
 * <p>Answers: 200 when the email was sent, refused (and answered) or a redelivery, and for notifications that are
 * not received mail; 400/403/405/413 for requests refused for good (SNS does not retry 4xx); 503 when the email could
 * not be handled now ({@link EmailNotTakenException}) or the signing certificate could not be fetched, so that SNS
 * delivers again by the topic's delivery policy.
 *
 * <p>Threads: {@link #handle} runs on the caller's thread and blocks while the email is handled. Thread-safe.
 */
public final class SesSnsWebhookHandler {

  private static final Logger log = LoggerFactory.getLogger(SesSnsWebhookHandler.class);

  /** The body cap: SES publishes messages of at most 150 KB, base64 adds a third, plus the envelope. */
  public static final int MAX_BODY_BYTES = 600 * 1024;

  private final EmailOrigination origination;
  private final SnsEndpoint endpoint;

  private SesSnsWebhookHandler(Builder b) {
    this.origination = b.origination;
    SnsEndpoint.Builder endpoint = SnsEndpoint.builder("SES notification").verifier(b.verifier)
        .notifications(this::notification).confirmTimeout(b.confirmTimeout).maxBodyBytes(MAX_BODY_BYTES);
    if (b.snsClient != null) {
      endpoint.snsClient(b.snsClient);
    }
    this.endpoint = endpoint.build();
  }

  /** A builder for a handler that feeds {@code origination}. */
  public static Builder builder(EmailOrigination origination) {
    return new Builder(Objects.requireNonNull(origination, "origination == null"));
  }

  /**
   * Handles one request. Never throws for bad input; every outcome is a response.
   *
   * @param method the HTTP method
   * @param headers request headers, names in any case
   * @param body the raw body; at most {@link #MAX_BODY_BYTES} + 1 bytes are read, not closed
   */
  public WebhookResponse handle(String method, Map<String, List<String>> headers, InputStream body) {
    Objects.requireNonNull(headers, "headers == null");
    return endpoint.handle(method, body);
  }

  /** An adapter for the JDK's {@code com.sun.net.httpserver.HttpServer}. */
  public HttpHandler httpHandler() {
    return endpoint.httpHandler();
  }

  private WebhookResponse notification(SnsMessage message) {
    SesReceiptNotification.Received received;
    try {
      received = SesReceiptNotification.parse(message.message());
    } catch (SesReceiptNotification.Invalid e) {
      if (e.ignorable) {
        log.info("SNS notification {} ignored: {}", message.messageId(), e.getMessage());
        return text(200, "ignored");
      }
      log.warn("SES notification {} refused: {}", message.messageId(), e.getMessage());
      return text(400, e.getMessage());
    }
    try {
      EmailOutcome outcome = origination.handle(received.message(), received.receipt());
      return text(200, outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    } catch (EmailNotTakenException e) {
      log.warn("SES notification {} not taken; answering 503 so that SNS delivers it again: {}",
          message.messageId(), e.getMessage());
      return text(503, "not taken");
    }
  }

  private static WebhookResponse text(int status, String body) {
    return new WebhookResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body);
  }

  /** Builds {@link SesSnsWebhookHandler}. Not thread-safe. */
  public static final class Builder {
    private final EmailOrigination origination;
    private SnsMessageVerifier verifier;
    private SnsAsyncClient snsClient;
    private Duration confirmTimeout = Duration.ofSeconds(10);

    private Builder(EmailOrigination origination) {
      this.origination = origination;
    }

    /** Verifies each request (its allow-listed topics are the SES notification topics). Required. */
    public Builder verifier(SnsMessageVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier == null");
      return this;
    }

    /**
     * Confirms subscriptions ({@code ConfirmSubscription} with {@code AuthenticateOnUnsubscribe=true}). Without one,
     * confirmations are logged and left to the operator.
     */
    public Builder snsClient(SnsAsyncClient snsClient) {
      this.snsClient = Objects.requireNonNull(snsClient, "snsClient == null");
      return this;
    }

    /** How long a subscription confirmation waits for SNS. Default 10 s. */
    public Builder confirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout == null");
      return this;
    }

    /**
     * Builds the handler.
     *
     * @throws IllegalStateException if no verifier was given
     */
    public SesSnsWebhookHandler build() {
      if (verifier == null) {
        throw new IllegalStateException("verifier is required: SnsMessageVerifier.builder().allowTopicArns(...)");
      }
      return new SesSnsWebhookHandler(this);
    }
  }
}
